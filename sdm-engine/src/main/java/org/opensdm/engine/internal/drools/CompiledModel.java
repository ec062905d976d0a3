package org.opensdm.engine.internal.drools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.opensdm.engine.RulesetLoadException;
import org.opensdm.engine.RulesetProblem;

/**
 * A ruleset version's rules compiled at build time into the Drools executable model: the class
 * files the model compiler generated from the version's DRL, and what they were built from. Stored
 * as one {@code model.zip} per version (written by {@link RulesetPrecompiler}, read by
 * {@link DroolsRuleset#compile}):
 * <pre>
 * sdm-compiled-rules.txt   format=1, id, version, sha256 (the content hash of the manifest and DRL
 *                          files it was built from), drools (the Drools version that generated it),
 *                          model (each generated model class, one line each)
 * classes/&lt;name&gt;.class   every generated class file, sorted by name
 * </pre>
 * Entries are written in that order, with a fixed time stamp, so that the same sources give the
 * same bytes. The class files are not classes of the jar that carries them: they are defined by a
 * class loader of their own per version ({@link #classLoader}), under the sandbox class loader,
 * so versions whose DRL shares a package do not clash and generated code links only what the
 * sandbox allows.
 */
final class CompiledModel {
    static final String DESCRIPTOR = "sdm-compiled-rules.txt";
    static final String CLASSES = "classes/";
    static final int FORMAT = 1;
    /** A model.zip larger than this (uncompressed) is refused: the shipped ones are well under 1 MiB. */
    static final long MAX_BYTES = 64L << 20;
    /** The build's fixed time stamp, as a zip entry's local date and time (no time zone: the same bytes everywhere). */
    private static final java.time.LocalDateTime ENTRY_TIME = java.time.LocalDateTime.of(2026, 1, 1, 0, 0);

    /**
     * The Drools version on the class path, from Drools' own {@code drools.versions.properties}
     * (Drools' {@code getFullVersion()} reads the jar manifest first, which in a shaded jar is the
     * application's).
     */
    static final String DROOLS = droolsVersion();

    final String id;
    final String version;
    final String sha256;
    final String drools;
    final List<String> models;
    /** Class file bytes by binary class name. */
    final Map<String, byte[]> classes;

    CompiledModel(String id, String version, String sha256, String drools, List<String> models, Map<String, byte[]> classes) {
        this.id = id;
        this.version = version;
        this.sha256 = sha256;
        this.drools = drools;
        this.models = List.copyOf(models);
        this.classes = new TreeMap<>(classes);
    }

    void write(OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            StringBuilder d = new StringBuilder();
            d.append("format=").append(FORMAT).append('\n')
                    .append("id=").append(id).append('\n')
                    .append("version=").append(version).append('\n')
                    .append("sha256=").append(sha256).append('\n')
                    .append("drools=").append(drools).append('\n');
            models.forEach(m -> d.append("model=").append(m).append('\n'));
            entry(zip, DESCRIPTOR, d.toString().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                entry(zip, CLASSES + c.getKey().replace('.', '/') + ".class", c.getValue());
            }
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * Reads a model.zip.
     *
     * @param location where it comes from, for messages
     * @throws RulesetLoadException it cannot be read or is not one
     */
    static CompiledModel read(InputStream in, String location) {
        Map<String, String> descriptor = null;
        List<String> models = new ArrayList<>();
        Map<String, byte[]> classes = new TreeMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            byte[] buffer = new byte[8192];
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                    total += n;
                    if (total > MAX_BYTES) {
                        throw refused(location, "larger than " + (MAX_BYTES >> 20) + " MiB uncompressed");
                    }
                    bytes.write(buffer, 0, n);
                }
                String name = e.getName();
                if (name.equals(DESCRIPTOR)) {
                    descriptor = new TreeMap<>();
                    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
                        int eq = line.indexOf('=');
                        if (eq > 0 && line.startsWith("model=")) {
                            models.add(line.substring(eq + 1));
                        } else if (eq > 0) {
                            descriptor.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                } else if (name.startsWith(CLASSES) && name.endsWith(".class")) {
                    classes.put(name.substring(CLASSES.length(), name.length() - ".class".length()).replace('/', '.'),
                            bytes.toByteArray());
                } else {
                    throw refused(location, "unexpected entry " + name);
                }
            }
        } catch (IOException e) {
            throw refused(location, "cannot be read: " + e.getMessage());
        }
        if (descriptor == null || !String.valueOf(FORMAT).equals(descriptor.get("format")) || models.isEmpty()
                || descriptor.get("id") == null || descriptor.get("version") == null || descriptor.get("sha256") == null
                || descriptor.get("drools") == null) {
            throw refused(location, "not compiled rules of format " + FORMAT + " (no " + DESCRIPTOR + " with format, id, version, "
                    + "sha256, drools and model lines)");
        }
        return new CompiledModel(descriptor.get("id"), descriptor.get("version"), descriptor.get("sha256"),
                descriptor.get("drools"), models, classes);
    }

    private static String droolsVersion() {
        try (InputStream in = org.drools.base.util.Drools.class.getClassLoader().getResourceAsStream("drools.versions.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("drools.version");
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
        } catch (IOException e) {
            // the version from the manifest, below
        }
        return org.drools.base.util.Drools.getFullVersion();
    }

    static RulesetLoadException refused(String location, String why) {
        return new RulesetLoadException(List.of(new RulesetProblem(location, 0, 0, "compiled rules " + why)));
    }

    /** A class loader that defines this model's classes, each on first use, below {@code parent} (the sandbox). */
    ClassLoader classLoader(ClassLoader parent) {
        return new ModelClassLoader(parent, classes);
    }

    /** Defines the classes of one compiled model; every other name goes to the parent (the sandbox class loader). */
    private static final class ModelClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        ModelClassLoader(ClassLoader parent, Map<String, byte[]> classes) {
            super("sdm-compiled-rules", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
