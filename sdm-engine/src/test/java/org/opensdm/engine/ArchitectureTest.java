package org.opensdm.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Drools stays behind the internal adapter; the public API never names a Drools or KIE type. */
@AnalyzeClasses(packages = "org.opensdm.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_methods = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_METHODS;

    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_fields = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_FIELDS;

    @ArchTest
    static final ArchRule drools_types_only_in_the_internal_adapter = noClasses()
            .that().resideOutsideOfPackage("org.opensdm.engine.internal.drools..")
            .should().dependOnClassesThat().resideInAnyPackage("org.drools..", "org.kie..");

    @ArchTest
    static final ArchRule rule_fact_types_depend_on_nothing_of_the_engine = noClasses()
            .that().resideInAPackage("org.opensdm.engine.rules..")
            .should().dependOnClassesThat().resideInAnyPackage("org.opensdm.engine.internal..", "org.opensdm.engine.json..",
                    "org.opensdm.engine.ruleset..", "org.opensdm.engine.analysis..");

    @ArchTest
    static final ArchRule only_the_engine_uses_the_internal_packages = noClasses()
            .that().resideOutsideOfPackages("org.opensdm.engine.internal..")
            .and().haveNameNotMatching("org\\.opensdm\\.engine\\.SdmEngine(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("org.opensdm.engine.internal..");
}
