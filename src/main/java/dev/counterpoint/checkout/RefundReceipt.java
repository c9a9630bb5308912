package dev.counterpoint.checkout;

import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a void or refund gave back, for the receipt and {@code refund --json}.
 *
 * @param payableFen            the money to hand back by the tenders the checkout was paid with (other than stored value)
 * @param pointsBalance         the member's points afterwards; null when this store does not hold their balances
 * @param storedValueBalanceFen likewise, stored value
 * @param upgradeUndone         the tier raise a void took back and the perks it voided (decision 0091); null: none
 */
public record RefundReceipt(UUID refundId, String refundNo, String receiptNo, RefundKind kind, List<Integer> lines,
                            long grossFen, long discountFen, long pointsValueFen, long storedValueFen, long payableFen,
                            long pointsReturned, long pointsClawedBack, long pointsForgiven, String couponCode,
                            boolean couponRestored, boolean complete, Long pointsBalance, Long storedValueBalanceFen,
                            Event.UpgradeUndone upgradeUndone) {

    /**
     * What went back besides the money handed back, only what did, each a part to follow the money ("; stored value back
     * ¥20.00"): "stored value back ¥0.00; points given back 0" is noise. Said the same at the counter and by the command.
     */
    public List<UserMessage> besidesMoney() {
        List<UserMessage> out = new ArrayList<>(3);
        if (storedValueFen != 0) {
            out.add(new UserMessage("refund.screen.doneStoredValue", Money.format(storedValueFen)));
        }
        if (pointsReturned != 0) {
            out.add(new UserMessage("refund.screen.donePointsReturned", pointsReturned));
        }
        if (pointsClawedBack != 0) {
            out.add(new UserMessage("refund.screen.donePointsClawedBack", pointsClawedBack));
        }
        return out;
    }

    /** What a void took back of the member's tier, to tell whoever made it: "Tier back to Silver; 1 perk coupon voided." */
    public Optional<UserMessage> upgradeUndoneMessage() {
        return Optional.ofNullable(upgradeUndone).map(u -> upgradeUndoneMessage(u.toTier(), u.perksVoided().size()));
    }

    /** The words for a tier raise taken back, as a void says it and as its preview says it beforehand. */
    static UserMessage upgradeUndoneMessage(Tier backTo, int perksVoided) {
        return new UserMessage("refund.upgradeUndone", new UserMessage(backTo.messageKey()), perksVoided);
    }
}
