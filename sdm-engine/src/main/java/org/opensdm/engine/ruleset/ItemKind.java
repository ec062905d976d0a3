package org.opensdm.engine.ruleset;

/** How an item is answered: an option key, a set of option keys, a boolean, or free text. */
public enum ItemKind {
    CHOICE, MULTI, YESNO, TEXT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
