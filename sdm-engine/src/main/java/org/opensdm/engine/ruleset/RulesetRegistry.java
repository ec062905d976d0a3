package org.opensdm.engine.ruleset;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.opensdm.engine.UnknownRulesetException;

/**
 * Every version of every known ruleset. Immutable once built; a version added later (e.g. from
 * a folder) replaces one with the same id and version added earlier (e.g. from the classpath).
 */
public final class RulesetRegistry {
    /** Orders versions numerically part by part: 1.9 before 1.10. */
    public static final Comparator<String> VERSION_ORDER = RulesetRegistry::compareVersions;

    private final Map<String, TreeMap<String, RulesetVersion>> byId;
    /** id to version string to version: an exact lookup without the numeric comparison of {@link #VERSION_ORDER}. */
    private final Map<String, Map<String, RulesetVersion>> exact = new java.util.HashMap<>();

    private RulesetRegistry(Map<String, TreeMap<String, RulesetVersion>> byId) {
        this.byId = byId;
        byId.forEach((id, versions) -> exact.put(id, new java.util.HashMap<>(versions)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every version, by id then version. */
    public List<RulesetVersion> versions() {
        List<RulesetVersion> all = new ArrayList<>();
        new TreeMap<>(byId).values().forEach(v -> all.addAll(v.values()));
        return List.copyOf(all);
    }

    public Optional<RulesetVersion> find(String id, String version) {
        Map<String, RulesetVersion> versions = exact.get(id);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(java.util.Objects.requireNonNull(version)));
    }

    /**
     * The exact {@code version} when given; otherwise the version in force on {@code assessedOn}:
     * the latest {@code effectiveFrom} on or before it (ties: the higher version). An exact version
     * is refused for an {@code assessedOn} before its {@code effectiveFrom}: it was not in force
     * that day. A later version taking over does not end it: an exact version is evaluated on any
     * date from its {@code effectiveFrom} on.
     *
     * @param assessedOn the date of the assessment; null only with an exact {@code version}, for
     *                   what-if tools that evaluate a version on any date (no date check)
     * @throws UnknownRulesetException no such ruleset or version, no version in force on
     *                                 {@code assessedOn}, or the exact version not yet in force on it
     */
    public RulesetVersion resolve(String id, String version, LocalDate assessedOn) {
        TreeMap<String, RulesetVersion> versions = byId.get(id);
        if (versions == null) {
            throw new UnknownRulesetException("unknown ruleset '" + org.opensdm.engine.json.Printable.clip(id) + "' (known: " + String.join(", ", new TreeMap<>(byId).keySet()) + ")");
        }
        if (version != null) {
            // VERSION_ORDER ends with String.compareTo: it finds exactly the equal string
            RulesetVersion v = exact.get(id).get(version);
            if (v == null) {
                throw new UnknownRulesetException("ruleset " + id + " has no version '" + org.opensdm.engine.json.Printable.clip(version) + "' (known: "
                        + String.join(", ", versions.keySet()) + ")");
            }
            LocalDate from = v.manifest().effectiveFrom();
            if (assessedOn != null && assessedOn.isBefore(from)) {
                throw new UnknownRulesetException(id + " " + version + " is not in force on " + assessedOn
                        + " (effective from " + from + ")");
            }
            return v;
        }
        java.util.Objects.requireNonNull(assessedOn, "assessedOn (needed to choose a version by date)");
        RulesetVersion best = null;
        for (RulesetVersion v : versions.values()) {
            LocalDate from = v.manifest().effectiveFrom();
            if (!from.isAfter(assessedOn) && (best == null || !from.isBefore(best.manifest().effectiveFrom()))) {
                best = v;
            }
        }
        if (best == null) {
            RulesetVersion first = versions.values().stream()
                    .min(Comparator.comparing(v -> v.manifest().effectiveFrom())).orElseThrow();
            throw new UnknownRulesetException("no version of ruleset " + id + " is in force on " + assessedOn
                    + " (the earliest, " + first.version() + ", is effective from " + first.manifest().effectiveFrom() + ")");
        }
        return best;
    }

    static int compareVersions(String a, String b) {
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            long x = i < pa.length ? parse(pa[i]) : 0;
            long y = i < pb.length ? parse(pb[i]) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return a.compareTo(b);
    }

    private static long parse(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Collects versions; later additions replace earlier ones with the same id and version. Folders
     * and the class path are read when the registry is built, each file within {@link #limits}.
     */
    public static final class Builder {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RulesetRegistry.class);
        private final Map<String, TreeMap<String, RulesetVersion>> byId = new LinkedHashMap<>();
        /** The sources in the order given, read by {@link #build}. */
        private final List<java.util.function.Consumer<RulesetLimits>> sources = new ArrayList<>();
        private RulesetLimits limits = RulesetLimits.DEFAULT;

        /** The size limits of the ruleset files read from folders and the class path (default {@link RulesetLimits#DEFAULT}). */
        public Builder limits(RulesetLimits l) {
            this.limits = java.util.Objects.requireNonNull(l);
            return this;
        }

        /** The rulesets shipped on this class loader's class path (e.g. the sdm-rulesets jar). */
        public Builder addClasspath(ClassLoader loader) {
            sources.add(l -> RulesetFiles.fromClasspath(loader, l).forEach(this::put));
            return this;
        }

        public Builder addClasspath() {
            return addClasspath(RulesetRegistry.class.getClassLoader());
        }

        /**
         * Every version {@code provider} offers, read like the class path's (with the compiled
         * rules it carries, if any).
         */
        public Builder addProvider(RulesetProvider provider) {
            java.util.Objects.requireNonNull(provider);
            sources.add(l -> RulesetFiles.fromProvider(provider, l).forEach(this::put));
            return this;
        }

        /** Every version in a folder laid out as {@code <id>/<version>/ruleset.yaml}. */
        public Builder addDirectory(Path root) {
            sources.add(l -> RulesetFiles.fromDirectory(root, l).forEach(this::put));
            return this;
        }

        public Builder add(RulesetVersion version) {
            sources.add(l -> put(version));
            return this;
        }

        private void put(RulesetVersion version) {
            byId.computeIfAbsent(version.id(), k -> new TreeMap<>(VERSION_ORDER)).put(version.version(), version);
        }

        private void readSources() {
            List<java.util.function.Consumer<RulesetLimits>> pending = new ArrayList<>(sources);
            sources.clear();
            pending.forEach(s -> s.accept(limits));
        }

        /** Resolves every {@code include} against the versions added; throws listing every problem. */
        public RulesetRegistry build() {
            Map<String, List<org.opensdm.engine.RulesetProblem>> failures = new LinkedHashMap<>();
            RulesetRegistry registry = buildSkippingBroken(failures);
            if (!failures.isEmpty()) {
                List<org.opensdm.engine.RulesetProblem> problems = new ArrayList<>();
                failures.values().forEach(problems::addAll);
                throw new org.opensdm.engine.RulesetLoadException(problems);
            }
            return registry;
        }

        /**
         * Resolves every {@code include}, leaving out each version whose includes fail and putting
         * its problems into {@code failures} under its {@code id@version}.
         */
        public RulesetRegistry buildSkippingBroken(Map<String, List<org.opensdm.engine.RulesetProblem>> failures) {
            long start = System.nanoTime();
            readSources();
            Map<String, TreeMap<String, RulesetVersion>> copy = new LinkedHashMap<>();
            byId.forEach((id, versions) -> {
                Set<String> colliding = collisions(versions.values(), failures);
                TreeMap<String, RulesetVersion> resolved = new TreeMap<>(VERSION_ORDER);
                versions.forEach((v, version) -> {
                    if (colliding.contains(v)) {
                        return;
                    }
                    try {
                        resolved.put(v, Includes.resolve(version, (i, iv) -> {
                            TreeMap<String, RulesetVersion> of = byId.get(i);
                            return of == null ? null : of.get(iv);
                        }));
                    } catch (org.opensdm.engine.RulesetLoadException e) {
                        failures.put(version.key(), e.problems());
                    }
                });
                if (!resolved.isEmpty()) {
                    copy.put(id, resolved);
                }
            });
            RulesetRegistry registry = new RulesetRegistry(copy);
            if (LOG.isDebugEnabled()) {
                registry.versions().forEach(v -> LOG.debug("ruleset {} from {} (sha256 {})", v.key(), v.origin(), v.sha256()));
                failures.forEach((key, problems) -> LOG.debug("ruleset {} left out: {} problem(s)", key, problems.size()));
            }
            LOG.info("read {} ruleset versions of {} rulesets in {} ms", registry.versions().size(), copy.size(),
                    (System.nanoTime() - start) / 1_000_000);
            return registry;
        }

        /**
         * The versions of one ruleset that cannot stand beside another: two version strings that
         * are the same number ({@code 1.0}, {@code 1.00}, {@code 01.0}: compared segment by
         * segment, numerically), or two versions in force from the same date (the choice by
         * {@code assessedOn} could not tell them apart). Each gets a problem naming both
         * manifests in {@code failures}, under its {@code id@version}.
         */
        private static Set<String> collisions(java.util.Collection<RulesetVersion> versions,
                                              Map<String, List<org.opensdm.engine.RulesetProblem>> failures) {
            List<RulesetVersion> all = new ArrayList<>(versions);
            Set<String> colliding = new java.util.HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    RulesetVersion a = all.get(i);
                    RulesetVersion b = all.get(j);
                    String why = sameNumber(a.version(), b.version())
                            ? "versions " + a.version() + " and " + b.version() + " are the same version number"
                            : a.manifest().effectiveFrom().equals(b.manifest().effectiveFrom())
                            ? "versions " + a.version() + " and " + b.version() + " are both effective from "
                                    + a.manifest().effectiveFrom() + ": which one is in force that day would be a guess"
                            : null;
                    if (why == null) {
                        continue;
                    }
                    for (RulesetVersion[] pair : new RulesetVersion[][] {{a, b}, {b, a}}) {
                        colliding.add(pair[0].version());
                        failures.computeIfAbsent(pair[0].key(), k -> new ArrayList<>()).add(new org.opensdm.engine.RulesetProblem(
                                pair[0].location(RulesetFiles.MANIFEST), 0, 0, "ruleset " + a.id() + ": " + why
                                + " (the other is " + pair[1].location(RulesetFiles.MANIFEST) + "); give each version its own "
                                + "number and effectiveFrom date"));
                    }
                }
            }
            return colliding;
        }
    }

    /** True when two version strings name the same number: equal segment by segment, numerically ({@code 1.0 = 1.00 = 01.0 = 1}). */
    static boolean sameNumber(String a, String b) {
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            String x = i < pa.length ? pa[i] : "0";
            String y = i < pb.length ? pb[i] : "0";
            if (x.equals(y)) {
                continue;
            }
            if (!x.matches("[0-9]+") || !y.matches("[0-9]+") || new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)) != 0) {
                return false;
            }
        }
        return true;
    }
}
