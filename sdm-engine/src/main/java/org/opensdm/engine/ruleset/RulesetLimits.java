package org.opensdm.engine.ruleset;

/**
 * The largest ruleset files read, in bytes: a manifest ({@code ruleset.yaml}), a DRL file, a
 * scenario file. A larger file is refused (a {@link org.opensdm.engine.RulesetLoadException}
 * naming it, its size and the limit) after reading at most one byte more than the limit.
 *
 * @param manifestBytes default 1 MiB
 * @param drlBytes      default 1 MiB
 * @param scenarioBytes default 4 MiB
 */
public record RulesetLimits(long manifestBytes, long drlBytes, long scenarioBytes) {
    /** 1 MiB manifest, 1 MiB DRL file, 4 MiB scenario file. */
    public static final RulesetLimits DEFAULT = new RulesetLimits(1 << 20, 1 << 20, 4 << 20);

    public RulesetLimits {
        if (manifestBytes < 1 || drlBytes < 1 || scenarioBytes < 1) {
            throw new IllegalArgumentException("ruleset file size limits must be positive");
        }
        if (Math.max(manifestBytes, Math.max(drlBytes, scenarioBytes)) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ruleset file size limits must be below 2 GiB");
        }
    }
}
