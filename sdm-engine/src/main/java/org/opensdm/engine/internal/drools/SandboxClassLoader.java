package org.opensdm.engine.internal.drools;

import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Set;

/**
 * The second layer of the ruleset sandbox: the parent class loader of every ruleset's compiled
 * rules. Code generated from a DRL resolves every class it names through this loader, and it
 * refuses (as not found) every class outside an allowlist: the engine's fact types, plain value
 * types, and the Drools runtime that generated code itself calls. So a name that the static
 * check ({@link DrlSandbox}) missed fails to compile or link instead of running. Class files
 * are refused as resources too, because the Java compiler inside Drools reads them that way.
 */
final class SandboxClassLoader extends ClassLoader {
    /** Packages whose every class generated rule code may use: the Drools runtime it calls. */
    private static final Set<String> RUNTIME_PACKAGE_PREFIXES = Set.of("org.drools.", "org.kie.", "org.mvel2.");

    /** JDK classes the generated code needs beyond the allowed value types. */
    private static final Set<String> JDK_FOR_GENERATED_CODE = Set.of(
            "java.lang.Object", "java.lang.Class", "java.lang.Throwable", "java.lang.Exception",
            "java.lang.RuntimeException", "java.lang.Error", "java.lang.Enum", "java.lang.Void",
            "java.lang.Cloneable", "java.lang.AutoCloseable", "java.lang.Override", "java.lang.Deprecated",
            "java.lang.SuppressWarnings", "java.lang.FunctionalInterface", "java.lang.SafeVarargs", "java.lang.StringBuilder",
            "java.lang.NullPointerException", "java.lang.ClassCastException", "java.lang.ArithmeticException",
            "java.lang.IndexOutOfBoundsException", "java.lang.UnsupportedOperationException",
            "java.lang.invoke.LambdaMetafactory", "java.lang.invoke.MethodHandles", "java.lang.invoke.MethodHandles$Lookup",
            "java.lang.invoke.StringConcatFactory", "java.lang.invoke.MethodHandle", "java.lang.invoke.MethodType",
            "java.lang.invoke.CallSite", "java.lang.Record", "java.lang.String$CaseInsensitiveComparator",
            "java.io.Serializable", "java.io.Externalizable", "java.io.ObjectInput", "java.io.ObjectOutput",
            "java.io.IOException", "java.lang.ClassNotFoundException",
            "java.lang.ReflectiveOperationException",
            // the executable model's generated code (build time): its project model throws it
            "java.lang.IllegalArgumentException");

    /** JDK packages whose public classes are plain values (collections, dates, numbers, functions). */
    private static final Set<String> VALUE_PACKAGES = Set.of("java.util.", "java.util.function.", "java.time.",
            "java.time.temporal.", "java.time.format.", "java.math.");

    /** Sub-packages of the value packages that are not plain values. */
    private static final Set<String> REFUSED_PACKAGES = Set.of("java.util.concurrent.", "java.util.logging.",
            "java.util.jar.", "java.util.zip.", "java.util.prefs.", "java.util.spi.", "java.util.random.",
            "java.util.stream.");

    SandboxClassLoader(ClassLoader parent) {
        super("sdm-ruleset-sandbox", parent);
    }

    static boolean allowed(String className) {
        String name = className.replace('/', '.');
        int dollar = name.indexOf('$');
        String outer = dollar < 0 ? name : name.substring(0, dollar);
        if (SandboxPolicy.ALLOWED_CLASSES.contains(outer) || JDK_FOR_GENERATED_CODE.contains(name)) {
            return true;
        }
        for (String prefix : RUNTIME_PACKAGE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        for (String refused : REFUSED_PACKAGES) {
            if (name.startsWith(refused)) {
                return false;
            }
        }
        for (String pkg : VALUE_PACKAGES) {
            if (name.startsWith(pkg) && name.indexOf('.', pkg.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!allowed(name)) {
            throw new ClassNotFoundException(name + " (refused by the ruleset sandbox)");
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return refusedClassFile(name) ? null : super.getResource(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        return refusedClassFile(name) ? null : super.getResourceAsStream(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws java.io.IOException {
        return refusedClassFile(name) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
    }

    /**
     * The compiler reads the class files of the supertypes of every class it resolves (String's
     * Constable, ArrayList's AbstractList ...): those may be read, never loaded by rule code.
     */
    private static boolean refusedClassFile(String name) {
        if (!name.endsWith(".class")) {
            return false;
        }
        String cls = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        boolean refused = !allowed(cls) && !COMPILE_TIME_ONLY.contains(cls) && !cls.startsWith("java.lang.constant.");
        if (refused && DEBUG) {
            System.err.println("sandbox: class file refused " + cls);
        }
        return refused;
    }

    private static final boolean DEBUG = Boolean.getBoolean("sdm.sandbox.debug");

    /** Supertypes the compiler must see to type-check code that uses the allowed classes. */
    private static final Set<String> COMPILE_TIME_ONLY = Set.of("java.lang.Appendable", "java.lang.AbstractStringBuilder",
            "java.lang.Readable", "java.lang.annotation.Annotation",
            // the executable model makes each lambda an enum: Enum.describeConstable's return type
            "java.lang.Enum$EnumDesc");
}
