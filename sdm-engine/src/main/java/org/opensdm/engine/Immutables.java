package org.opensdm.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Deeply unmodifiable copies of the values a decision holds: every list, map and set, at any
 * depth, becomes an unmodifiable copy in the same order (maps keep their iteration order, so a
 * decision's JSON is unchanged); strings, numbers, booleans and other values are kept as they
 * are. What is already deeply unmodifiable is returned as it is, without a copy: a JDK immutable
 * list ({@code List.of}, {@code List.copyOf}) of such values, and a map made here.
 */
final class Immutables {
    private Immutables() { }

    /** {@code v} with every list, map and set in it (at any depth) unmodifiable. */
    static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Integer || v instanceof Boolean || v instanceof Long) {
            return v; // the usual values: no further test
        }
        if (v instanceof List<?> l) {
            return list(l);
        }
        if (v instanceof Map<?, ?> m) {
            return map(m);
        }
        if (v instanceof Set<?> s) {
            return set(s);
        }
        if (v instanceof Collection<?> c) {
            return list(Arrays.asList(c.toArray()));
        }
        return v;
    }

    /** An unmodifiable list of the elements made {@link #value unmodifiable}; {@code l} itself when it already is one. */
    static <T> List<T> list(List<T> l) {
        Object[] copy = null;
        boolean nulls = false;
        int i = 0;
        for (Object e : l) {
            Object f = value(e);
            if (f == null) {
                nulls = true;
            } else if (f != e) {
                if (copy == null) {
                    copy = l.toArray();
                }
                copy[i] = f;
            }
            i++;
        }
        if (copy == null && !nulls) {
            return List.copyOf(l); // the same list when it is already immutable
        }
        if (copy == null) {
            copy = l.toArray();
        }
        @SuppressWarnings("unchecked")
        List<T> out = (List<T>) (nulls ? Collections.unmodifiableList(Arrays.asList(copy)) : List.of(copy));
        return out;
    }

    /** An unmodifiable copy of {@code m}, in its iteration order, with its values made {@link #value unmodifiable}. */
    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> map(Map<K, V> m) {
        if (m instanceof Frozen<K, V>) {
            return m;
        }
        LinkedHashMap<K, V> copy = new LinkedHashMap<>(Math.max(4, (int) (m.size() / 0.75f) + 1));
        for (Map.Entry<K, V> e : m.entrySet()) {
            copy.put(e.getKey(), (V) value(e.getValue()));
        }
        return new Frozen<>(copy);
    }

    /**
     * {@code m} itself made unmodifiable, without a copy: only for a map nobody else holds, whose
     * values are already {@link #value unmodifiable}.
     */
    static <K, V> Map<K, V> adopt(LinkedHashMap<K, V> m) {
        return new Frozen<>(m);
    }

    private static <T> Set<T> set(Set<T> s) {
        LinkedHashSet<T> copy = new LinkedHashSet<>(Math.max(4, (int) (s.size() / 0.75f) + 1));
        for (T e : s) {
            @SuppressWarnings("unchecked")
            T f = (T) value(e);
            copy.add(f);
        }
        return Collections.unmodifiableSet(copy);
    }

    /**
     * An unmodifiable map over a map only it holds (a {@link LinkedHashMap}: its order is the
     * decision's). Every change throws {@link UnsupportedOperationException}; equality, hash code
     * and text are the map's.
     */
    private static final class Frozen<K, V> implements Map<K, V> {
        private final Map<K, V> view;

        Frozen(LinkedHashMap<K, V> owned) {
            this.view = Collections.unmodifiableMap(owned);
        }

        @Override public int size() { return view.size(); }
        @Override public boolean isEmpty() { return view.isEmpty(); }
        @Override public boolean containsKey(Object key) { return view.containsKey(key); }
        @Override public boolean containsValue(Object value) { return view.containsValue(value); }
        @Override public V get(Object key) { return view.get(key); }
        @Override public V getOrDefault(Object key, V defaultValue) { return view.getOrDefault(key, defaultValue); }
        @Override public Set<K> keySet() { return view.keySet(); }
        @Override public Collection<V> values() { return view.values(); }
        @Override public Set<Entry<K, V>> entrySet() { return view.entrySet(); }
        @Override public void forEach(BiConsumer<? super K, ? super V> action) { view.forEach(action); }
        @Override public V put(K key, V value) { return view.put(key, value); }
        @Override public V remove(Object key) { return view.remove(key); }
        @Override public void putAll(Map<? extends K, ? extends V> m) { view.putAll(m); }
        @Override public void clear() { view.clear(); }
        @Override public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) { view.replaceAll(f); }
        @Override public V putIfAbsent(K key, V value) { return view.putIfAbsent(key, value); }
        @Override public boolean remove(Object key, Object value) { return view.remove(key, value); }
        @Override public boolean replace(K key, V oldValue, V newValue) { return view.replace(key, oldValue, newValue); }
        @Override public V replace(K key, V value) { return view.replace(key, value); }
        @Override public V computeIfAbsent(K key, Function<? super K, ? extends V> f) { return view.computeIfAbsent(key, f); }
        @Override public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) { return view.computeIfPresent(key, f); }
        @Override public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) { return view.compute(key, f); }
        @Override public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) { return view.merge(key, value, f); }
        @Override public boolean equals(Object o) { return o == this || view.equals(o); }
        @Override public int hashCode() { return view.hashCode(); }
        @Override public String toString() { return view.toString(); }
    }
}
