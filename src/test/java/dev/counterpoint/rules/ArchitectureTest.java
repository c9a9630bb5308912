package dev.counterpoint.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.counterpoint.wiring.TerminalWiring;
import java.util.concurrent.Callable;

/** The layering rules of DESIGN §2, checked on every build. */
@AnalyzeClasses(packages = "dev.counterpoint", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String MAIN = "dev.counterpoint.main..";
    private static final String CLI = "dev.counterpoint.cli..";
    private static final String APP = "dev.counterpoint.app..";
    private static final String WIRING = "dev.counterpoint.wiring..";

    /** The commands (their shells ask the wiring for services; the helpers beside them are handed what they use). */
    private static final DescribedPredicate<JavaClass> COMMANDS = DescribedPredicate.describe("a command",
            c -> c.getPackageName().equals("dev.counterpoint.cli") && c.isAssignableTo(Callable.class));

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

    /** The entry point, the command line, the counter's UI shell and the wiring: everything else is a feature. */
    private static final String[] SHELLS = {MAIN, CLI, APP, WIRING};

    @ArchTest
    static final ArchRule featuresDependOnNoShell = noClasses()
            .that().resideOutsideOfPackages(SHELLS)
            .should().dependOnClassesThat().resideInAnyPackage(SHELLS)
            .because("the wiring builds features and the commands and the window use them; features never look any of "
                    + "them up (decision 0076)");

    @ArchTest
    static final ArchRule nothingDependsOnTheEntryPoint = noClasses()
            .that().resideOutsideOfPackage(MAIN)
            .should().dependOnClassesThat().resideInAPackage(MAIN)
            .because("the entry point names the commands; nothing names it");

    @ArchTest
    static final ArchRule theUiShellKnowsNoCommand = noClasses()
            .that().resideInAPackage(APP)
            .should().dependOnClassesThat().resideInAnyPackage(CLI, MAIN)
            .because("the terminal command starts the counter window, never the other way round");

    @ArchTest
    static final ArchRule theWiringKnowsNoShell = noClasses()
            .that().resideInAPackage(WIRING)
            .should().dependOnClassesThat().resideInAnyPackage(MAIN, CLI, APP)
            .because("the wiring builds services; what starts it and what uses them is above it");

    @ArchTest
    static final ArchRule onlyTheCommandsAskTheWiringForServices = noClasses()
            .that().resideOutsideOfPackage(WIRING).and(DescribedPredicate.not(COMMANDS))
            .should().callMethodWhere(DescribedPredicate.describe("a service of the composition root is asked for",
                    ArchitectureTest::asksTheWiring))
            .because("a command's shell asks the wiring for exactly what its work takes, and the work, the window and "
                    + "the features are handed what they need: the wiring is no service locator (decision 0076)");

    @ArchTest
    static final ArchRule theWindowIsHandedItsServices = noClasses()
            .that().resideInAnyPackage(APP, MAIN)
            .should().dependOnClassesThat().belongToAnyOf(TerminalWiring.class)
            .because("the counter window gets the counter's services (CounterServices), not the composition root");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices()
            .matching("dev.counterpoint.(*)..")
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

    /** A call of one of the composition root's services (opening and closing it are not asking it for anything). */
    private static boolean asksTheWiring(JavaMethodCall call) {
        return call.getTargetOwner().isEquivalentTo(TerminalWiring.class) && !call.getName().equals("close")
                && call.getTarget().resolveMember().map(m -> !m.getModifiers().contains(JavaModifier.STATIC)).orElse(true);
    }
}
