package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The manager's rule editor: unlocked with the manager PIN, shows the rules in force as a form, and saves
 * a valid form as the next version (recorded with a {@code rules.changed} event). A refused form lists
 * every problem, each naming its field, and changes nothing. Money is typed in yuan, rates per mille.
 */
public final class RuleSetEditorViewModel {
    private final RuleSetService rules;
    private final StaffAccounts staff;
    private final ResourceBundle bundle;
    private final BackgroundTasks tasks;

    private final StringProperty pinText = new SimpleStringProperty("");
    private final BooleanProperty unlocked = new SimpleBooleanProperty(false);
    private final StringProperty inForce = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty(false);
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ObservableList<String> problemsView = FXCollections.unmodifiableObservableList(problems);

    private final ObjectProperty<TierBasis> tierBasis = new SimpleObjectProperty<>(TierBasis.SPEND);
    private final Map<Tier, StringProperty> thresholds = new EnumMap<>(Tier.class);
    private final Map<Tier, StringProperty> earn = new EnumMap<>(Tier.class);
    private final StringProperty reviewDate = new SimpleStringProperty("");
    private final ObjectProperty<RuleSet.PointsExpiry> pointsExpiry = new SimpleObjectProperty<>(RuleSet.PointsExpiry.DAYS);
    private final StringProperty lifetimeDays = new SimpleStringProperty("");
    private final StringProperty pointsPerYuan = new SimpleStringProperty("");
    private final StringProperty reminderDays = new SimpleStringProperty("");
    private final StringProperty birthdayDays = new SimpleStringProperty("");
    private final StringProperty winBackDays = new SimpleStringProperty("");
    private final StringProperty welcomeDays = new SimpleStringProperty("");
    private final StringProperty historyDays = new SimpleStringProperty("");
    private final StringProperty offlineAllowance = new SimpleStringProperty("");
    private final StringProperty bonuses = new SimpleStringProperty("");
    private final BooleanProperty storedValueEarns = new SimpleBooleanProperty(true);
    private final BooleanProperty refundRestoresCoupon = new SimpleBooleanProperty(true);
    private final BooleanProperty clawbackBelowZero = new SimpleBooleanProperty(false);
    private final StringProperty managerId = new SimpleStringProperty("");
    /** The manager who unlocked the editor: the rule change is recorded as theirs. */
    private String unlockedBy;

    private RuleSet current;

    /** @param tasks runs the PIN check and the save off the UI thread; this editor reports their failures */
    public RuleSetEditorViewModel(RuleSetService rules, StaffAccounts staff, Locale locale, BackgroundTasks tasks) {
        this.rules = rules;
        this.staff = staff;
        this.bundle = Messages.bundle(locale);
        this.tasks = tasks;
        tasks.reportFailuresTo(m -> say(m, true));
        for (Tier t : Tier.values()) {
            earn.put(t, new SimpleStringProperty(""));
            if (t != Tier.NORMAL) {
                thresholds.put(t, new SimpleStringProperty(""));
            }
        }
        say(new UserMessage("counter.rules.pinPrompt"), false);
    }

    /**
     * Checks the manager's staff id and PIN (a deliberately slow hash, so off the UI thread) and loads the rules in force.
     */
    public void unlock() {
        String entered = pinText.get();
        String id = managerId.get() == null ? "" : managerId.get().strip();
        submit(() -> {
            Staff manager = staff.authenticate(id, entered, StaffRole.MANAGER);
            return java.util.Map.entry(manager.id(), rules.active());
        }, unlockedWith -> {
            RuleSet r = unlockedWith.getValue();
            unlockedBy = unlockedWith.getKey();
            pinText.set("");
            unlocked.set(true);
            fill(r);
            message.set("");
        });
    }

    /** Validates the form and puts it in force as the next version. */
    public void save() {
        if (!unlocked.get() || current == null) {
            return;
        }
        List<UserMessage> found = new ArrayList<>();
        RuleSet next = read(found);
        if (!found.isEmpty()) {
            showProblems(found);
            return;
        }
        List<UserMessage> invalid = RuleSetValidator.problems(next);
        if (!invalid.isEmpty()) {
            showProblems(invalid);
            return;
        }
        String by = unlockedBy;
        submit(() -> rules.putInForce(next, "editor by " + by, by), r -> {
            problems.clear();
            fill(r);
            say(new UserMessage("rules.editor.saved", r.version()), false);
        });
    }

    private RuleSet read(List<UserMessage> found) {
        Map<Tier, Long> th = new EnumMap<>(Tier.class);
        thresholds.forEach((t, p) -> {
            String field = "tierThresholds." + t.name();
            Optional<Long> v = tierBasis.get() == TierBasis.SPEND ? yuan(p.get(), field, found) : whole(p.get(), field, found);
            v.ifPresent(x -> th.put(t, x));
        });
        Map<Tier, Integer> rates = new EnumMap<>(Tier.class);
        earn.forEach((t, p) -> whole(p.get(), "earnPermille." + t.name(), found).ifPresent(x -> rates.put(t, (int) Math.min(x, Integer.MAX_VALUE))));
        List<RuleSet.TopUpBonus> steps = new ArrayList<>();
        String b = bonuses.get() == null ? "" : bonuses.get().strip();
        if (!b.isEmpty()) {
            for (String part : b.split("[,，]")) {
                String[] kv = part.split("=");
                Optional<Long> min = kv.length == 2 ? Money.parseYuan(kv[0].strip()) : Optional.empty();
                Optional<Long> bonus = kv.length == 2 ? Money.parseYuan(kv[1].strip()) : Optional.empty();
                if (min.isEmpty() || bonus.isEmpty()) {
                    found.add(new UserMessage("rules.editor.bonusFormat"));
                    break;
                }
                steps.add(new RuleSet.TopUpBonus(min.get(), bonus.get()));
            }
        }
        return new RuleSet(current.version() + 1, tierBasis.get(), th, nullToEmpty(reviewDate.get()).strip(), rates,
                pointsExpiry.get(), days(lifetimeDays, "pointsLifetimeDays", found),
                days(pointsPerYuan, "pointsPerYuanRedeemed", found), days(reminderDays, "pointsReminderDays", found),
                days(birthdayDays, "birthdayWindowDays", found), days(winBackDays, "winBackAfterDays", found),
                days(welcomeDays, "welcomeWithinDays", found), days(historyDays, "historyDays", found),
                yuan(offlineAllowance.get(), "offlineAllowanceFen", found).orElse(0L), steps,
                // An option left at its default is left out of the set, so terminals that do not know it read the set.
                storedValueEarns.get() ? null : Boolean.FALSE,
                refundRestoresCoupon.get() ? null : RuleSet.RefundCoupons.FORFEIT,
                clawbackBelowZero.get() ? Boolean.TRUE : null);
    }

    private void fill(RuleSet r) {
        current = r;
        inForce.set(new UserMessage("rules.editor.inForce", r.version()).format(bundle));
        tierBasis.set(r.tierBasis());
        thresholds.forEach((t, p) -> p.set(r.tierBasis() == TierBasis.SPEND
                ? plainYuan(r.threshold(t)) : Long.toString(r.threshold(t))));
        earn.forEach((t, p) -> p.set(Integer.toString(r.earnPermille().getOrDefault(t, 0))));
        reviewDate.set(r.tierReviewDate());
        pointsExpiry.set(r.pointsExpiry());
        lifetimeDays.set(Integer.toString(r.pointsLifetimeDays()));
        pointsPerYuan.set(Integer.toString(r.pointsPerYuanRedeemed()));
        reminderDays.set(Integer.toString(r.pointsReminderDays()));
        birthdayDays.set(Integer.toString(r.birthdayWindowDays()));
        winBackDays.set(Integer.toString(r.winBackAfterDays()));
        welcomeDays.set(Integer.toString(r.welcomeWithinDays()));
        historyDays.set(Integer.toString(r.historyDays()));
        offlineAllowance.set(plainYuan(r.offlineAllowanceFen()));
        bonuses.set(String.join(", ", r.topUpBonuses().stream()
                .map(x -> plainYuan(x.minTopUpFen()) + "=" + plainYuan(x.bonusFen())).toList()));
        storedValueEarns.set(r.storedValueEarnsPoints());
        refundRestoresCoupon.set(r.refundRestoresCoupon());
        clawbackBelowZero.set(r.clawbackMayGoBelowZero());
    }

    private void showProblems(List<UserMessage> found) {
        List<UserMessage> labelled = found.stream().map(this::withFormLabel).toList();
        problems.setAll(labelled.stream().map(m -> m.format(bundle)).toList());
        say(labelled.get(0), true);
    }

    /** The validator names JSON fields; the form shows the label the manager sees instead. */
    private UserMessage withFormLabel(UserMessage m) {
        if (m.args().length == 0 || !(m.args()[0] instanceof String field)) {
            return m;
        }
        Object[] args = m.args().clone();
        args[0] = formLabel(field);
        return new UserMessage(m.key(), args);
    }

    private String formLabel(String field) {
        String[] parts = field.split("\\.");
        String key = switch (parts[0]) {
            case "tierThresholds" -> "rules.editor.threshold";
            case "earnPermille" -> "rules.editor.earn";
            case "tierBasis" -> "rules.editor.tierBasis";
            case "tierReviewDate" -> "rules.editor.reviewDate";
            case "pointsExpiry" -> "rules.editor.pointsExpiry";
            case "pointsLifetimeDays" -> "rules.editor.lifetime";
            case "pointsPerYuanRedeemed" -> "rules.editor.perYuan";
            case "pointsReminderDays" -> "rules.editor.reminder";
            case "birthdayWindowDays" -> "rules.editor.birthday";
            case "winBackAfterDays" -> "rules.editor.winBack";
            case "welcomeWithinDays" -> "rules.editor.welcome";
            case "historyDays" -> "rules.editor.history";
            case "offlineAllowanceFen" -> "rules.editor.offline";
            default -> field.startsWith("topUpBonuses") ? "rules.editor.bonuses" : null;
        };
        if (key == null) {
            return field;
        }
        if (parts.length == 2) {
            Optional<Tier> tier = Tier.parse(parts[1]);
            if (tier.isPresent()) {
                return new UserMessage(key, bundle.getString(tier.get().messageKey())).format(bundle);
            }
        }
        return bundle.getString(key);
    }

    private static int days(StringProperty p, String field, List<UserMessage> found) {
        return (int) Math.min(Integer.MAX_VALUE, whole(p.get(), field, found).orElse(0L));
    }

    private static Optional<Long> whole(String text, String field, List<UserMessage> found) {
        try {
            return Optional.of(Long.parseLong(nullToEmpty(text).strip()));
        } catch (NumberFormatException e) {
            found.add(new UserMessage("rules.error.number", field));
            return Optional.empty();
        }
    }

    private static Optional<Long> yuan(String text, String field, List<UserMessage> found) {
        Optional<Long> v = Money.parseYuan(nullToEmpty(text).strip());
        if (v.isEmpty()) {
            found.add(new UserMessage("rules.editor.yuan", field));
        }
        return v;
    }

    /** Fen as typed in the form: "1000" or "12.50", no currency sign. */
    private static String plainYuan(long fen) {
        return fen % 100 == 0 ? Long.toString(fen / 100) : String.format(Locale.ROOT, "%d.%02d", fen / 100, fen % 100);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A refusal clears the PIN and lists why; any other failure is only said. */
    private <T> void submit(Callable<T> work, Consumer<T> onResult) {
        tasks.run(work, onResult, refused -> {
            pinText.set("");
            problems.setAll(refused.format(bundle));
            say(refused, true);
        });
    }

    private void say(UserMessage m, boolean error) {
        messageIsError.set(error);
        message.set(m.format(bundle));
    }

    public ResourceBundle bundle() { return bundle; }
    public StringProperty pinProperty() { return pinText; }
    public ReadOnlyBooleanProperty unlockedProperty() { return unlocked; }
    public ReadOnlyStringProperty inForceProperty() { return inForce; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public ReadOnlyBooleanProperty messageIsErrorProperty() { return messageIsError; }
    public ObservableList<String> problems() { return problemsView; }
    public ObjectProperty<TierBasis> tierBasisProperty() { return tierBasis; }
    public StringProperty thresholdProperty(Tier t) { return thresholds.get(t); }
    public StringProperty earnProperty(Tier t) { return earn.get(t); }
    public StringProperty reviewDateProperty() { return reviewDate; }
    public ObjectProperty<RuleSet.PointsExpiry> pointsExpiryProperty() { return pointsExpiry; }
    public StringProperty lifetimeDaysProperty() { return lifetimeDays; }
    public StringProperty pointsPerYuanProperty() { return pointsPerYuan; }
    public StringProperty reminderDaysProperty() { return reminderDays; }
    public StringProperty birthdayDaysProperty() { return birthdayDays; }
    public StringProperty winBackDaysProperty() { return winBackDays; }
    public StringProperty welcomeDaysProperty() { return welcomeDays; }
    public StringProperty historyDaysProperty() { return historyDays; }
    public StringProperty offlineAllowanceProperty() { return offlineAllowance; }
    public StringProperty bonusesProperty() { return bonuses; }
    public BooleanProperty storedValueEarnsProperty() { return storedValueEarns; }
    public BooleanProperty refundRestoresCouponProperty() { return refundRestoresCoupon; }
    public BooleanProperty clawbackBelowZeroProperty() { return clawbackBelowZero; }
    public StringProperty managerIdProperty() { return managerId; }
}
