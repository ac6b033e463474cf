package com.lockkeeper.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * The packages read top-down: value types and shared plumbing at the bottom (bitlocker, http,
 * support), then audit, keys and users, the features, and the web pages, reports and the command
 * line on top. No feature package reaches back up, crypto libraries stay behind {@code keys}, and
 * controllers leave SQL to the repositories.
 */
class ArchitectureTest {

    private static final String ROOT = "com.lockkeeper";
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Each first-level package under {@code root} is one slice; no two may depend on each other in a circle. */
    static ArchRule noCyclesBetweenPackagesUnder(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void featurePackagesFormNoCycle() {
        noCyclesBetweenPackagesUnder(ROOT).check(PRODUCT);
    }

    @Test
    void theCycleRuleFindsADeliberateCycle() {
        JavaClasses withCycle = new ClassFileImporter().importPackages(ROOT + ".architecture.cyclefixture");
        assertThat(noCyclesBetweenPackagesUnder(ROOT + ".architecture.cyclefixture").evaluate(withCycle).hasViolation())
                .isTrue();
    }

    @Test
    void theFoundationImportsNoFeature() {
        for (String foundation : new String[] {"bitlocker", "http", "support"}) {
            classes().that().resideInAPackage(ROOT + "." + foundation + "..")
                    .should().onlyDependOnClassesThat(
                            not(
                                    resideInAPackage(ROOT + ".."))
                                    .or(resideInAnyPackage(
                                            ROOT + "." + foundation + "..", ROOT + ".support..")))
                    .as(foundation + " depends on nothing of Lockkeeper's but itself and support")
                    .check(PRODUCT);
        }
    }

    @Test
    void theApplicationAndItsSettingsSitOnTheFoundationOnly() {
        classes().that().resideInAPackage(ROOT)
                .should().onlyDependOnClassesThat(
                        not(
                                resideInAPackage(ROOT + ".."))
                                .or(resideInAnyPackage(
                                        ROOT, ROOT + ".support..")))
                .check(PRODUCT);
    }

    @Test
    void nothingDependsOnTheTopOfTheStack() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".web..", ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".web..", ROOT + ".cli..")
                .check(PRODUCT);
    }

    @Test
    void onlyKeysTouchesTink() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".keys..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.crypto.tink..")
                .because("the crypto lives behind the few interfaces of keys")
                .check(PRODUCT);
    }

    @Test
    void onlyKeysAndTlsTouchBouncyCastle() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".keys..", ROOT + ".tls..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..")
                .because("the crypto lives behind the few interfaces of keys; tls builds X.509 certificates with it")
                .check(PRODUCT);
    }

    @Test
    void tlsUsesBouncyCastleOnlyToBuildCertificates() {
        noClasses().that().resideInAPackage(ROOT + ".tls..")
                .should().dependOnClassesThat(resideInAPackage("org.bouncycastle..").and(not(resideInAnyPackage(
                        "org.bouncycastle.asn1..", "org.bouncycastle.cert..", "org.bouncycastle.operator.."))))
                .because("TLS keys and signatures come from the JDK; Bouncy Castle only assembles the certificate")
                .check(PRODUCT);
    }

    @Test
    void controllersLeaveSqlToTheRepositories() {
        noClasses().that().areAnnotatedWith(Controller.class).or().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
                .check(PRODUCT);
    }
}
