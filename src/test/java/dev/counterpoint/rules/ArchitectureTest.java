package dev.counterpoint.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.base.DescribedPredicate;

/** The layering rules of DESIGN §2, checked on every build. */
@AnalyzeClasses(packages = "dev.counterpoint", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Views, their controllers, the scene-level key filter and the app shell are the only JavaFX UI code. */
    private static final DescribedPredicate<JavaClass> UI_CODE = DescribedPredicate.describe("UI code",
            c -> c.getPackageName().startsWith("dev.counterpoint.app")
                    || c.getSimpleName().endsWith("View") || c.getSimpleName().endsWith("Controller")
                    || c.getSimpleName().endsWith("KeyFilter")
                    || c.getEnclosingClass().map(e -> e.getSimpleName().endsWith("View") || e.getSimpleName().endsWith("Controller")
                            || e.getSimpleName().endsWith("KeyFilter")).orElse(false));

    @ArchTest
    static final ArchRule servicesAndViewModelsUseOnlyBeansAndCollections = noClasses()
            .that(DescribedPredicate.not(UI_CODE))
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.fxml..",
                    "javafx.application..", "javafx.concurrent..", "javafx.print..", "javafx.animation..", "org.controlsfx..")
            .because("views are thin and view models and services are tested without the FX toolkit");

    @ArchTest
    static final ArchRule viewModelsRunBackgroundWorkOnlyThroughTheHelper = noClasses()
            .that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().belongToAnyOf(java.util.concurrent.Executor.class,
                    java.util.concurrent.ExecutorService.class, java.util.concurrent.Executors.class,
                    java.util.concurrent.CompletableFuture.class, java.util.concurrent.ForkJoinPool.class, Thread.class,
                    java.util.Timer.class)
            .because("every view model hands its work to BackgroundTasks, which runs it off the UI thread and applies "
                    + "its result on it, reports failures and keeps the busy flag; tests run it on the calling thread");

    @ArchTest
    static final ArchRule officeNeverDependsOnUi = noClasses()
            .that().resideInAPackage("dev.counterpoint.office..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "dev.counterpoint.app..")
            .allowEmptyShould(true)
            .because("head office is a headless server");

    @ArchTest
    static final ArchRule onlyTheCommandLinePrints = noClasses()
            .that().resideOutsideOfPackage("dev.counterpoint.cli..")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("everything else logs through SLF4J or returns messages");

    @ArchTest
    static final ArchRule noJavaUtilLogging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule featuresDoNotDependOnTheShellOrTheCommandLine = noClasses()
            .that().resideOutsideOfPackages("dev.counterpoint.main..", "dev.counterpoint.app..", "dev.counterpoint.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.counterpoint.cli..")
            .because("commands sit on top of features, never beneath them");

    @ArchTest
    static final ArchRule featureServicesDoNotReachIntoTheAppShell = noClasses()
            .that().resideOutsideOfPackages("dev.counterpoint.app..", "dev.counterpoint.cli..")
            .and(DescribedPredicate.not(UI_CODE))
            .should().dependOnClassesThat().resideInAnyPackage("dev.counterpoint.app..")
            .because("the composition root wires features, features do not look it up");

    @ArchTest
    static final ArchRule featuresAreFreeOfCycles = slices()
            .matching("dev.counterpoint.(*)..")
            .that(DescribedPredicate.describe("features", s -> !s.getDescription().contains("app") && !s.getDescription().contains("cli")))
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule moneyIsIntegerFen = fields()
            .that().haveNameMatching(".*(Fen|fen)")
            .should().haveRawType(long.class).orShould().haveRawType(Long.class)
            .allowEmptyShould(true)
            .because("money is integer fen, never floating point");

    @ArchTest
    static final ArchRule exitCodesAreDeclaredOnlyInExitCodes = noFields()
            .that().areDeclaredInClassesThat().resideInAPackage("dev.counterpoint.cli..")
            .and().areDeclaredInClassesThat().doNotHaveSimpleName("ExitCodes")
            .and().haveRawType(int.class)
            .should().haveNameMatching("EXIT_.*")
            .because("an exit code means one thing in every command: the numbers are kept in ExitCodes alone (decision 0074)");
}
