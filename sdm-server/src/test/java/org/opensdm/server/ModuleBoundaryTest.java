package org.opensdm.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.opensdm.engine.ApiRules;

/**
 * sdm-server builds on the engine's, the analysis module's and the audit module's API only; its
 * public API names no Jackson, Drools or KIE type (the engine's rules) and no type of the HTTP stack
 * (Javalin, Jetty, the servlet API, Micrometer, Prometheus, Kotlin), which stay in its internal package.
 */
@AnalyzeClasses(packages = "org.opensdm.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {
    private static final List<String> HTTP_STACK = List.of("io.javalin.", "org.eclipse.jetty.", "jakarta.servlet.",
            "io.micrometer.", "io.prometheus.", "kotlin.");

    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_methods = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_METHODS;

    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_fields = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_FIELDS;

    @ArchTest
    static final ArchRule no_http_stack_type_in_the_public_api = codeUnits()
            .that().arePublic().and().areDeclaredInClassesThat().arePublic()
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
            .should(new ArchCondition<JavaCodeUnit>("name no Javalin, Jetty, servlet, Micrometer, Prometheus or Kotlin type") {
                @Override
                public void check(JavaCodeUnit u, ConditionEvents events) {
                    List<JavaType> types = new ArrayList<>(u.getParameterTypes());
                    types.add(u.getReturnType());
                    u.getThrowsClause().getTypes().forEach(types::add);
                    for (JavaType t : types) {
                        for (JavaClass c : t.getAllInvolvedRawTypes()) {
                            if (HTTP_STACK.stream().anyMatch(p -> c.getName().startsWith(p))) {
                                events.add(SimpleConditionEvent.violated(u, u.getFullName() + " names " + c.getName()));
                            }
                        }
                    }
                }
            });

    @ArchTest
    static final ArchRule only_the_public_apis_of_the_other_modules = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.opensdm.engine.internal..", "org.drools..", "org.kie..",
                    "org.opensdm.cli..");

    @ArchTest
    static final ArchRule the_http_stack_only_in_the_internal_package = noClasses()
            .that().resideOutsideOfPackage("org.opensdm.server.internal..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..",
                    "io.micrometer..", "io.prometheus..");
}
