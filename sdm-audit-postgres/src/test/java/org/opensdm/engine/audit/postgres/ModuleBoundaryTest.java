package org.opensdm.engine.audit.postgres;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.opensdm.engine.ApiRules;

/**
 * sdm-audit-postgres builds on the engine's and sdm-audit's API only; no Jackson, Drools or KIE type in
 * its public signatures, and no Flyway or driver type either (a DataSource is all it asks for).
 */
@AnalyzeClasses(packages = "org.opensdm.engine.audit.postgres", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {
    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_methods = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_METHODS;

    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_fields = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_FIELDS;

    @ArchTest
    static final ArchRule only_the_engine_and_audit_api = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.opensdm.engine.internal..", "org.drools..", "org.kie..",
                    "com.fasterxml..", "org.opensdm.engine.analysis..", "org.opensdm.cli..");

    @ArchTest
    static final ArchRule no_flyway_or_driver_type_in_public_methods = noMethods().that().arePublic()
            .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.describe("a Flyway or PostgreSQL driver type",
                    (com.tngtech.archunit.core.domain.JavaClass c) -> c.getName().startsWith("org.flywaydb.")
                            || c.getName().startsWith("org.postgresql.")))
            .orShould().haveRawParameterTypes(com.tngtech.archunit.base.DescribedPredicate.describe("a Flyway or driver type",
                    (java.util.List<com.tngtech.archunit.core.domain.JavaClass> ps) -> ps.stream().anyMatch(c ->
                            c.getName().startsWith("org.flywaydb.") || c.getName().startsWith("org.postgresql."))));
}
