package org.opensdm.engine.rules;

/** One override in the request (already validated). A rule that applies it calls {@link #apply()}. */
public final class OverrideGiven {
    private final int position;
    private final String type;
    private final String code;
    private final String value;
    private final Recorder recorder;
    private boolean applied;

    public OverrideGiven(int position, String type, String code, String value, Recorder recorder) {
        this.position = position;
        this.type = type;
        this.code = code;
        this.value = value;
        this.recorder = recorder;
    }

    /** Index of this override in the request's {@code overrides} array. */
    public int getPosition() { return position; }

    public String getType() { return type; }

    public String getCode() { return code; }

    public String getValue() { return value; }

    public boolean isApplied() { return applied; }

    /** Marks this override as applied and records it in the trail. */
    public void apply() {
        applied = true;
        recorder.effect("override", code != null ? code : value != null ? type + ":" + value : type);
    }
}
