package org.opensdm.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;
import org.opensdm.engine.ruleset.RulesetVersion;

/**
 * The service through HTTP, driven from a second process: {@link HttpServerMain} in a JVM of its
 * own (-Xms512m -Xmx512m), and {@code wrk} (Debian's package) with 2 threads and 64 keep-alive
 * connections posting the 1,024 family risk 2.0 requests of {@link Workload} (seed 42) in turn to
 * {@code POST /evaluate}. First every request is sent once and its answer compared, byte for byte,
 * with {@code SdmJson.write(engine.evaluateJson(request))} and a line end; then a warm-up; then one
 * measured run long enough for at least 1,000,000 requests, during which the server's resident
 * memory is read every 2 s from {@code /proc}. Throughput, p50/p90/p99 and max latency and errors
 * (non-2xx answers, socket errors, time-outs) are wrk's own, over the whole measured run.
 */
final class HttpBenchmark {
    static final int CONNECTIONS = 64;
    static final int WRK_THREADS = 2;
    static final long TARGET_REQUESTS = 1_000_000;
    private static final Pattern RESULT = Pattern.compile("sdm-result (.*)");

    record Result(long requests, double seconds, double perSecond, double p50Ms, double p90Ms, double p99Ms, double maxMs,
                  long non2xx, long socketErrors, long timeouts, long rssStartKb, long rssEndKb, long rssMaxKb,
                  double cpuMicrosPerRequest, int verified, double warmUpPerSecond, double inProcessPerSecond,
                  double inProcessCpuMicros, double loadBefore, double loadAfter) {
        long errors() {
            return non2xx + socketErrors + timeouts;
        }
    }

    private HttpBenchmark() {
    }

    static Result run(boolean quick, Path out) throws IOException, InterruptedException {
        String wrk = wrk();
        SdmEngine engine = SdmEngine.builder().classpathRulesets().build();
        RulesetVersion v = Workload.version(engine.registry(), Workload.FAMILY_RISK);
        List<String> requests = Workload.json(Workload.requests(v, 1024, 42));
        Path lines = out.resolve("http-requests.jsonl");
        Files.write(lines, requests, StandardCharsets.UTF_8);
        Path lua = out.resolve("http.lua");
        Files.writeString(lua, script(lines));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] inProcess = inProcess(java, quick ? 30 : 60, quick ? 20 : 30);
        System.out.printf(Locale.ROOT, "  http: in-process first (the handler's work on %d threads): %,.0f /s, %.0f us of "
                + "processor time each%n", Runtime.getRuntime().availableProcessors(), inProcess[0], inProcess[1]);
        Process server = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-Xlog:gc:file=" + out.resolve("http-server-gc.log"),
                "-cp", System.getProperty("java.class.path"),
                HttpServerMain.class.getName()).redirectError(out.resolve("http-server.log").toFile()).start();
        try (BufferedReader said = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String first = said.readLine();
            if (first == null || !first.startsWith("port ")) {
                throw new IllegalStateException("the service did not start (see " + out.resolve("http-server.log") + ")");
            }
            int port = Integer.parseInt(first.substring(5).trim());
            URI uri = URI.create("http://127.0.0.1:" + port + "/evaluate");
            long pid = server.pid();
            System.out.println("  http: service pid " + pid + " on " + uri);

            int verified = verify(engine, requests, uri);
            System.out.println("  http: " + verified + " answers equal to SdmJson.write(evaluateJson(request)) + \"\\n\"");

            // the JIT takes tens of seconds at 64 connections to settle; the last 10 s of the warm-up size the measured run
            int warmUp = quick ? 40 : 80;
            Map<String, Long> w0 = wrk(wrk, lua, uri, warmUp - 10, out.resolve("http-wrk-warmup.log"));
            Map<String, Long> w = wrk(wrk, lua, uri, 10, out.resolve("http-wrk-settle.log"));
            double warmRate = w.get("requests") / (w.get("duration_us") / 1e6);
            System.out.printf(Locale.ROOT, "  http: warm-up %d s (%,d requests), at the end %,.0f requests/s%n", warmUp,
                    w0.get("requests") + w.get("requests"), warmRate);
            double load0 = loadAverage();

            int seconds = (int) Math.min(600, Math.max(30, Math.ceil(TARGET_REQUESTS * 1.15 / Math.max(warmRate, 1))));
            long rssStart = rssKb(pid);
            long cpuStart = cpuTicks(pid);
            AtomicLong rssMax = new AtomicLong(rssStart);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(2000);
                        rssMax.accumulateAndGet(rssKb(pid), Math::max);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            Map<String, Long> m = wrk(wrk, lua, uri, seconds, out.resolve("http-wrk.log"));
            sampler.interrupt();
            long cpuEnd = cpuTicks(pid);
            long rssEnd = rssKb(pid);
            rssMax.accumulateAndGet(rssEnd, Math::max);
            long n = m.get("requests");
            double secs = m.get("duration_us") / 1e6;
            double load1 = loadAverage();
            System.out.printf(Locale.ROOT, "  http: measured %d s; load average (1 min) %.1f before, %.1f after (%d processors)%n",
                    seconds, load0, load1, Runtime.getRuntime().availableProcessors());
            return new Result(n, secs, n / secs, m.get("p50_us") / 1e3, m.get("p90_us") / 1e3, m.get("p99_us") / 1e3,
                    m.get("max_us") / 1e3, m.get("status"), m.get("connect") + m.get("read") + m.get("write"), m.get("timeout"),
                    rssStart, rssEnd, rssMax.get(), (cpuEnd - cpuStart) * (1e6 / clockTicks()) / Math.max(1, n), verified, warmRate,
                    inProcess[0], inProcess[1], load0, load1);
        } finally {
            server.getOutputStream().close(); // the service stops when its standard input closes
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** {@link InProcessMain} in a JVM like the service's: {throughput, processor microseconds per evaluation}. */
    private static double[] inProcess(String java, int warmUp, int measure) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                InProcessMain.class.getName(), String.valueOf(warmUp), String.valueOf(measure)).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(warmUp + measure + 300L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("the in-process run failed: " + text);
        }
        Matcher m = Pattern.compile("in-process ([0-9.]+) ([0-9.]+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("the in-process run said nothing: " + text);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** Sends every request once; each answer must be 200 and the bytes the engine writes for it. */
    private static int verify(SdmEngine engine, List<String> requests, URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int n = 0;
        for (String r : requests) {
            HttpResponse<String> a = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(r)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String expected = SdmJson.write(engine.evaluateJson(r.getBytes(StandardCharsets.UTF_8))) + "\n";
            if (a.statusCode() != 200 || !a.body().equals(expected)) {
                throw new IllegalStateException("POST /evaluate answered " + a.statusCode() + " and not the engine's bytes for " + r);
            }
            n++;
        }
        return n;
    }

    /** The wrk script: the requests in turn, each connection starting elsewhere; a machine-readable summary at the end. */
    private static String script(Path lines) {
        return """
                -- written by HttpBenchmark: POST /evaluate with the workload's requests in turn
                local requests = {}
                local i = 0
                function init(args)
                  for line in io.lines("REQUESTS") do
                    requests[#requests + 1] = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, line)
                  end
                  i = math.random(#requests)
                end
                function request()
                  i = i % #requests + 1
                  return requests[i]
                end
                function done(summary, latency, requests)
                  io.write(string.format("sdm-result requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
                    .. "connect=%d read=%d write=%d status=%d timeout=%d\\n", summary.requests, summary.duration,
                    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
                    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
                    summary.errors.timeout))
                end
                """.replace("REQUESTS", lines.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""));
    }

    private static Map<String, Long> wrk(String wrk, Path lua, URI uri, int seconds, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(wrk, "-t" + WRK_THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s", "--timeout", "10s",
                "--latency", "-s", lua.toString(), uri.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not end (see " + log + ")");
        }
        String text = Files.readString(log);
        Matcher m = RESULT.matcher(text);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("wrk failed (exit " + p.exitValue() + "): " + text);
        }
        Map<String, Long> values = new HashMap<>();
        for (String kv : m.group(1).trim().split("\\s+")) {
            String[] f = kv.split("=");
            values.put(f[0], Long.parseLong(f[1]));
        }
        return values;
    }

    /** wrk on the PATH, or a clear error (benchmarks/run.sh installs Debian's package). */
    private static String wrk() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "wrk");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("wrk is missing: the HTTP benchmark drives the service with it "
                + "(apt-get install wrk; benchmarks/run.sh installs it when missing)");
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** The 1-minute load average: other work on the machine shows up here. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** User and system time of the process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Double.parseDouble(s);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
