package dev.counterpoint.coupon;

import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.shared.UserMessage;
import java.util.ResourceBundle;

/** The reason for a suggestion in the cashier's language. */
public final class SuggestionText {
    private SuggestionText() {}

    public static UserMessage reason(Suggestion s) {
        return switch (s.reason()) {
            case BIRTHDAY -> new UserMessage("reason.BIRTHDAY", s.reasonDays(), s.reasonDate().toString(), Math.abs(s.reasonDays()));
            case WIN_BACK -> new UserMessage("reason.WIN_BACK", s.reasonDays());
            case CHURN_RISK -> new UserMessage("reason.CHURN_RISK", s.reasonDays(), s.usualDays());
            case WELCOME -> new UserMessage("reason.WELCOME");
            case TIER_PERK -> new UserMessage("reason.TIER_PERK", s.template().tier() == null ? "" : s.template().tier().name());
            case AFFINITY -> new UserMessage("reason.AFFINITY", s.category());
            case POINTS_EXPIRING -> new UserMessage("reason.POINTS_EXPIRING", s.points(), s.until().toString(), s.daysLeft());
            case WALLET -> new UserMessage("reason.WALLET", s.until().toString());
        };
    }

    public static String reasonText(Suggestion s, ResourceBundle bundle) {
        UserMessage m = reason(s);
        if (s.reason() == ReasonCode.TIER_PERK && s.template().tier() != null) {
            m = new UserMessage("reason.TIER_PERK", bundle.getString(s.template().tier().messageKey()));
        }
        return m.format(bundle);
    }
}
