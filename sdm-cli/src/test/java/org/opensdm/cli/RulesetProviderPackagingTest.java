package org.opensdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensdm.engine.ruleset.RulesetRegistry;
import org.opensdm.engine.ruleset.RulesetVersion;
import org.opensdm.rulesets.ShippedRulesets;

/**
 * The shipped rulesets are found through {@code ServiceLoader}, never through jar URLs or file
 * systems, so they load from a plain jar and from a jar nested inside another (as in a Spring
 * Boot application). The shaded {@code sdm.jar} is checked by the build's smoke run
 * ({@code java -jar target/sdm.jar evaluate ...} in {@code verify}).
 */
class RulesetProviderPackagingTest {
    private static final String SERVICE = "META-INF/services/org.opensdm.engine.ruleset.RulesetProvider";

    @TempDir
    Path tmp;

    @Test
    void from_a_plain_jar() throws Exception {
        Path jar = rulesetsJar();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, new WithoutShippedRulesets())) {
            assertShippedVersions(RulesetRegistry.builder().addClasspath(loader).build());
        }
    }

    @Test
    void from_a_jar_nested_in_another_jar() throws Exception {
        Path app = tmp.resolve("app.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(app))) {
            byte[] inner = Files.readAllBytes(rulesetsJar());
            ZipEntry e = new ZipEntry("BOOT-INF/lib/sdm-rulesets.jar");
            e.setMethod(ZipEntry.STORED); // as Spring Boot stores nested jars
            e.setSize(inner.length);
            CRC32 crc = new CRC32();
            crc.update(inner);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            out.write(inner);
        }
        NestedJarLoader loader = new NestedJarLoader(app, "BOOT-INF/lib/sdm-rulesets.jar", new WithoutShippedRulesets());
        assertThat(loader.getResource(SERVICE).toString()).startsWith("nested:");
        assertShippedVersions(RulesetRegistry.builder().addClasspath(loader).build());
    }

    @Test
    void without_a_provider_there_are_no_classpath_rulesets() {
        RulesetRegistry registry = RulesetRegistry.builder().addClasspath(new WithoutShippedRulesets()).build();
        assertThat(registry.versions()).isEmpty();
    }

    private static void assertShippedVersions(RulesetRegistry registry) {
        List<String> keys = registry.versions().stream().map(RulesetVersion::key).sorted().toList();
        assertThat(keys).containsExactly("ref.family-risk@1.0", "ref.family-risk@2.0", "ref.family-risk@2.1",
                "ref.hotline@1.0", "ref.reunification@1.0", "ref.risk-reassessment@1.0", "ref.safety@1.0",
                "ref.strengths-needs@1.0");
        RulesetVersion shipped = Cli.SHIPPED.registry().find("ref.family-risk", "2.0").orElseThrow();
        RulesetVersion packaged = registry.find("ref.family-risk", "2.0").orElseThrow();
        assertThat(packaged.sha256()).isEqualTo(shipped.sha256());
        assertThat(packaged.scenarios()).isEqualTo(shipped.scenarios());
        assertThat(packaged.origin()).isEqualTo("classpath:sdm/rulesets/ref.family-risk/2.0");
    }

    /** The sdm-rulesets jar of this build, or one made from its classes folder when tests run before packaging. */
    private Path rulesetsJar() throws Exception {
        Path location = Path.of(ShippedRulesets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = tmp.resolve("sdm-rulesets.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(location)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(p)) {
                    out.putNextEntry(new ZipEntry(location.relativize(p).toString().replace('\\', '/')));
                    Files.copy(p, out);
                }
            }
        }
        return jar;
    }

    /** The test's own class path without the shipped rulesets: their provider, classes and files. */
    private static final class WithoutShippedRulesets extends ClassLoader {
        WithoutShippedRulesets() {
            super(RulesetProviderPackagingTest.class.getClassLoader());
        }

        private static boolean hidden(String name) {
            return name.startsWith("sdm/rulesets/") || name.equals(SERVICE) || name.startsWith("org/opensdm/rulesets/");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.opensdm.rulesets.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }

    /**
     * A class loader over a jar stored inside another jar, read into memory, with its own URL
     * scheme ({@code nested:}): nothing in it is a file or a {@code jar:} URL, as with Spring
     * Boot's launcher.
     */
    private static final class NestedJarLoader extends ClassLoader {
        private final Map<String, byte[]> entries = new HashMap<>();
        private final String base;

        NestedJarLoader(Path outer, String innerName, ClassLoader parent) throws IOException {
            super(parent);
            this.base = "nested:" + outer.getFileName() + "/!" + innerName + "!/";
            try (ZipFile zip = new ZipFile(outer.toFile());
                 ZipInputStream in = new ZipInputStream(zip.getInputStream(zip.getEntry(innerName)))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    if (!e.isDirectory()) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        in.transferTo(bytes);
                        entries.put(e.getName(), bytes.toByteArray());
                    }
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = entries.get(name.replace('.', '/') + ".class");
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        protected URL findResource(String name) {
            byte[] b = entries.get(name);
            if (b == null) {
                return null;
            }
            try {
                return new URL(null, base + name, new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL u) {
                        return new URLConnection(u) {
                            @Override
                            public void connect() {
                            }

                            @Override
                            public InputStream getInputStream() {
                                return new ByteArrayInputStream(b);
                            }

                            @Override
                            public OutputStream getOutputStream() throws IOException {
                                throw new IOException("read-only");
                            }
                        };
                    }
                });
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            URL u = findResource(name);
            return u == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(u));
        }
    }
}
