package org.opensdm.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules every library module's public API keeps (the engine's ArchitectureTest and each tool
 * module's boundary test apply them): no Jackson, Drools or KIE type in a public signature, so
 * that a case system never compiles against them and they can change without breaking it.
 * Packages named {@code internal} are not API and are left out.
 */
public final class ApiRules {
    private static final List<String> HIDDEN = List.of("com.fasterxml.", "org.drools.", "org.kie.");

    private ApiRules() {
    }

    /** No public method or constructor of a public type takes, returns or throws a hidden type (type arguments included). */
    public static final ArchRule NO_LIBRARY_TYPE_IN_PUBLIC_METHODS = codeUnits()
            .that().arePublic().and().areDeclaredInClassesThat().arePublic()
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
            .should(new ArchCondition<JavaCodeUnit>("name no Jackson, Drools or KIE type") {
                @Override
                public void check(JavaCodeUnit u, ConditionEvents events) {
                    List<JavaType> types = new ArrayList<>(u.getParameterTypes());
                    types.add(u.getReturnType());
                    u.getThrowsClause().getTypes().forEach(types::add);
                    for (JavaType t : types) {
                        for (JavaClass c : t.getAllInvolvedRawTypes()) {
                            if (hidden(c)) {
                                events.add(SimpleConditionEvent.violated(u, u.getFullName() + " names " + c.getName()));
                            }
                        }
                    }
                }
            });

    /** No public field of a public type has a hidden type. */
    public static final ArchRule NO_LIBRARY_TYPE_IN_PUBLIC_FIELDS = fields()
            .that().arePublic().and().areDeclaredInClassesThat().arePublic()
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
            .should(new ArchCondition<JavaField>("name no Jackson, Drools or KIE type") {
                @Override
                public void check(JavaField f, ConditionEvents events) {
                    for (JavaClass c : f.getType().getAllInvolvedRawTypes()) {
                        if (hidden(c)) {
                            events.add(SimpleConditionEvent.violated(f, f.getFullName() + " is of " + c.getName()));
                        }
                    }
                }
            });

    private static boolean hidden(JavaClass c) {
        return HIDDEN.stream().anyMatch(p -> c.getName().startsWith(p));
    }
}
