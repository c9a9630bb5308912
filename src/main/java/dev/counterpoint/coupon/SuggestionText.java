package dev.counterpoint.coupon;

import dev.counterpoint.shared.UserMessage;
import java.util.ResourceBundle;

/** The reason for a suggestion in the cashier's language. */
public final class SuggestionText {
    private SuggestionText() {}

    public static UserMessage reason(Suggestion s) {
        return switch (s.reason()) {
            case BIRTHDAY -> new UserMessage("reason.BIRTHDAY", s.days(), s.date().toString());
            case WIN_BACK -> new UserMessage("reason.WIN_BACK", s.days());
            case WELCOME -> new UserMessage("reason.WELCOME");
            case WALLET -> new UserMessage("reason.WALLET", s.date().toString());
        };
    }

    public static String reasonText(Suggestion s, ResourceBundle bundle) {
        return reason(s).format(bundle);
    }
}
