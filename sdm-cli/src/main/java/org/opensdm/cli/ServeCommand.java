package org.opensdm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opensdm.engine.SdmEngine;
import org.opensdm.server.BearerToken;
import org.opensdm.server.LogDecisionStore;
import org.opensdm.server.SdmServer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sdm serve}: the engine behind HTTP, and the analyst workbench in the browser. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = SdmCli.Version.class,
        description = {"Serve the engine over HTTP until stopped (Ctrl-C, SIGTERM): GET /rulesets, GET /rulesets/{id}/{version} "
                + "(the form), GET /rulesets/{id}/{version}/schema, POST /evaluate (the decision, as evaluate --compact prints it), "
                + "POST /evaluate/batch (JSON Lines), POST /whatif (as whatif --compact prints it), GET /decisions?caseId= and "
                + "POST /replay (with --record), GET /health, GET /metrics (Prometheus), GET /openapi.json; and the analyst "
                + "workbench at /. Errors are application/problem+json.",
            "It listens on 127.0.0.1 unless --host says otherwise; on any other address it needs a bearer token "
                + "(--token-env or --token-file), which every request then carries as Authorization: Bearer <token> "
                + "(but the workbench's files, /health and /openapi.json). Every version is compiled before it listens: a "
                + "ruleset that does not compile exits 4. Stderr says where it listens: `sdm: serving on http://...`."})
final class ServeCommand extends RulesetVerb implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "ADDRESS", description = "The address to listen on (default: 127.0.0.1, this machine only; "
            + "0.0.0.0: every interface, which needs a token).")
    String host = SdmServer.DEFAULT_HOST;

    @Option(names = "--port", paramLabel = "PORT", description = "The port (default: 8080; 0: any free port).")
    int port = SdmServer.DEFAULT_PORT;

    @ArgGroup(exclusive = true)
    TokenSource token;

    static final class TokenSource {
        @Option(names = "--token-env", paramLabel = "VAR", required = true,
                description = "Require the bearer token held by environment variable VAR (at least 32 characters, "
                        + "e.g. `openssl rand -hex 32`).")
        String variable;

        @Option(names = "--token-file", paramLabel = "FILE", required = true,
                description = "Require the bearer token held by FILE (the token, and at most one line end).")
        Path file;
    }

    @Option(names = "--record", paramLabel = "LOG", description = "Record every decision in the decision log LOG (created "
            + "with mode 0600 if absent) before answering it; serves GET /decisions?caseId= and POST /replay from it. On stop, "
            + "stderr gets the log's head.")
    Path record;

    @Option(names = "--max-batch-bytes", paramLabel = "N", description = "The largest batch body read (default: 67108864, 64 MiB).")
    long maxBatchBytes = 64L << 20;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "At most N requests are evaluated at once; one more "
            + "waits up to 1 s for its turn, then gets 503 too-busy (default: twice the processors, at least 2).")
    int maxConcurrent = SdmServer.DEFAULT_MAX_CONCURRENT;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "A request's time limit (default: 10): waiting "
            + "for its turn, then each line of a batch, each change of a what-if, each record of a replay; no step starts after it.")
    double timeLimit = 10;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "Let web pages of ORIGIN (e.g. "
            + "https://case.example.org) call the service; repeatable. Off by default.")
    List<String> corsOrigins = new ArrayList<>();

    /** Counted down when the server is to stop (tests; a shutdown hook stops it in a real process). */
    final CountDownLatch stop = new CountDownLatch(1);

    /** Counted down once the server is stopped and the log closed: the shutdown hook waits for it. */
    private final CountDownLatch done = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        if (!(timeLimit > 0) || timeLimit > 86_400) {
            throw new InputException("--time-limit must be more than 0 and at most 86400 seconds, not " + timeLimit);
        }
        BearerToken bearer = token == null ? null
                : token.variable != null ? BearerToken.fromEnvironment(token.variable) : BearerToken.fromFile(token.file);
        SdmEngine engine = engine();
        SdmServer.Builder builder = SdmServer.builder(engine).host(host).port(port).bearerToken(bearer)
                .maxConcurrent(maxConcurrent).timeLimit(Duration.ofMillis(Math.round(timeLimit * 1000)))
                .maxBatchBytes(maxBatchBytes).corsOrigins(corsOrigins);
        builder.build(); // every setting checked before the slow part
        engine.compileAll(); // a ruleset that does not compile stops here (exit 4)
        PrintWriter err = err();
        LogDecisionStore store = record == null ? null : LogDecisionStore.open(record);
        try {
            SdmServer server = builder.decisionStore(store).build();
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    done.await(30, java.util.concurrent.TimeUnit.SECONDS); // the log closed and its head printed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sdm-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try (server) {
                server.start();
                err.println("sdm: serving on " + server.uri() + " (the workbench at /, the API described at /openapi.json)"
                        + (bearer == null ? "" : ", bearer token required")
                        + (store == null ? "" : ", recording in " + TerminalText.escape(store.file().toString())));
                err.flush();
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running
                }
            }
            err.println("sdm: stopped");
            return ExitCode.OK;
        } finally {
            if (store != null) {
                var head = store.head();
                store.close();
                err.println("sdm: recorded: head " + head);
            }
            err.flush();
            done.countDown();
        }
    }
}
