package dev.counterpoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.checkout.MemberPanelFormat;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.checkout.MemberSummaryService;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.ConsentRepository;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.protocol.ConsentChannel;
import dev.counterpoint.scan.ScanCheck;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.sync.SyncEngine;
import dev.counterpoint.sync.SyncException;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "lookup", description = {"Show a member exactly as the counter would (no window).",
        "CODE is what a scan gives: a card code, or a member QR token, verified as the counter does.",
        "Exit 0: shown; 2: a code the counter refuses (a forged or expired token, a garbled code); 3: no such member."})
public final class LookupCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "Card code, any code the member's card carries, or a member QR token.")
    String code;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (TerminalWiring wiring = root.openWiring()) {
            // the sync engine only for a member found, and only if the terminal is registered
            return lookup(wiring.scanCheck(), wiring.memberSummaryService(), wiring.memberService(),
                    id -> fetchedHistory(wiring.syncEngine(), id), wiring.json(), wiring.clock().getZone(),
                    wiring.config().storeId());
        }
    }

    /**
     * The lookup, with what it takes: the scan's check, the member panel's summary, consent and erased cards, and
     * {@code historyFetched}, which asks head office for a member's history from the other stores (true if it came).
     */
    int lookup(ScanCheck scanCheck, MemberSummaryService summaries, MemberService members,
               Predicate<UUID> historyFetched, ObjectMapper mapper, ZoneId zone, String storeId) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(root.locale());
        // As the counter takes a scan: a member QR token is verified and stands for its card; a refused one says why.
        String card = code;
        ScanCheck.Outcome checked = scanCheck.check(code);
        if (checked instanceof ScanCheck.Refused refused) {
            err.println(refused.reason().format(bundle));
            return ExitCodes.USAGE;
        } else if (checked instanceof ScanCheck.Lookup l) {
            card = l.code();
        } else if (checked instanceof ScanCheck.LookupIfKnown l) {
            card = l.code();
        }
        Optional<MemberSummary> summary = summaries.byCode(card);
        if (summary.isEmpty()) {
            Optional<MemberRepository.ErasedCard> erased = members.erasedCard(code);
            if (erased.isPresent()) {
                printErased(mapper, zone, out, erased.get(), bundle);
                out.flush();
                return ExitCodes.OK;
            }
            err.println(java.text.MessageFormat.format(bundle.getString("lookup.notFound"), code));
            return ExitCodes.NOT_FOUND;
        }
        if (historyFetched.test(summary.get().member().id())) {
            summary = summaries.byId(summary.get().member().id());
        }
        List<ConsentRecord> consent = members.consent(summary.get().member().id());
        // Worded as the counter's member panel words it.
        MemberPanelFormat format = new MemberPanelFormat(root.locale(), zone, storeId);
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(summary.get(), consent,
                    format)));
        } else {
            printText(out, summary.get(), consent, format, bundle);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * A member first seen at this store: their history from the other stores, if head office can be reached (offline,
     * the lookup shows what is held here).
     */
    private static boolean fetchedHistory(Optional<SyncEngine> engine, UUID memberId) {
        try {
            return engine.map(e -> e.fetchHistory(memberId)).orElse(false);
        } catch (SyncException e) {
            return false;
        }
    }

    /** An erased card: that it was erased and when; nothing else is left to show (decision 0044). */
    private void printErased(ObjectMapper mapper, ZoneId zone, PrintWriter out, MemberRepository.ErasedCard card,
                             ResourceBundle bundle) throws com.fasterxml.jackson.core.JsonProcessingException {
        String at = card.erasedAt() == null ? null : card.erasedAt().atZoneSameInstant(zone).toOffsetDateTime().toString();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("card_code", card.cardCode());
            doc.put("erased", true);
            doc.put("erased_at", at);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            out.println(new UserMessage("lookup.erased", card.cardCode(),
                    card.erasedAt() == null ? "—" : card.erasedAt().atZoneSameInstant(zone).toLocalDate()
                            .toString()).format(bundle));
        }
    }

    static Map<String, Object> toJson(MemberSummary s, List<ConsentRecord> consent, MemberPanelFormat format) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("member_id", s.member().id().toString());
        doc.put("card_code", s.member().cardCode());
        doc.put("erased", false);
        doc.put("name", s.member().displayName());
        doc.put("phone_masked", s.member().phoneMasked());
        doc.put("birthday", s.member().birthday() == null ? null : s.member().birthday().toString());
        // True if the member agreed to marketing on any channel; "consent" holds each channel (null: never recorded).
        doc.put("marketing_consent", ConsentRepository.anyMarketing(consent));
        Map<String, Object> channels = new LinkedHashMap<>();
        for (ConsentChannel channel : ConsentChannel.values()) {
            channels.put(channel.fieldName(), consent.stream().filter(c -> c.channel() == channel).findFirst().map(c -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("granted", c.granted());
                x.put("recorded_at", c.recordedAt().toString());
                x.put("store_id", c.storeId());
                x.put("terminal_id", c.terminalId());
                x.put("staff_id", c.staffId());
                return x;
            }).orElse(null));
        }
        doc.put("consent", channels);
        doc.put("tier", s.member().tier().name());
        // Null where this store holds only its own part of the balances (chain_held false).
        doc.put("points", s.chainHeld() ? s.points() : null);
        doc.put("stored_value_fen", s.chainHeld() ? s.storedValueFen() : null);
        doc.put("tags", s.tags().stream().map(SegmentTag::name).toList());
        doc.put("custom_tags", s.customTags());
        doc.put("points_expiring", s.pointsExpiring().filter(e -> s.chainHeld()).map(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("points", e.points());
            x.put("expires_on", e.expiresOn().toString());
            return x;
        }).orElse(null));
        TierPolicy.TierProgress tp = s.tierProgress();
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("tier", tp.tier().name());
        progress.put("next_tier", tp.next() == null ? null : tp.next().name());
        progress.put("basis", tp.basis().name());
        progress.put("figure", tp.figure());
        progress.put("threshold", tp.next() == null ? null : tp.threshold());
        progress.put("needed", tp.next() == null ? null : tp.needed());
        // The figure is this store's part of the member's year where chain_held is false: not shown as theirs.
        doc.put("tier_progress", s.chainHeld() ? progress : null);
        Map<String, Object> rfm = new LinkedHashMap<>();
        rfm.put("recency", s.profile().rfm().recency());
        rfm.put("frequency", s.profile().rfm().frequency());
        rfm.put("monetary", s.profile().rfm().monetary());
        doc.put("rfm", rfm);
        doc.put("churn_warning", s.profile().churn().map(c -> Map.of("usual_days", c.usualDays(), "gap_days", c.gapDays()))
                .orElse(null));
        doc.put("affinity", s.profile().affinity());
        doc.put("last_visit", s.lastVisit().map(Object::toString).orElse(null));
        // False: head office could not be reached, and the member's purchases at other stores are not here yet.
        doc.put("chain_held", s.chainHeld());
        List<Map<String, Object>> purchases = new ArrayList<>();
        for (Purchase p : s.recentPurchases()) {
            for (PurchaseLine l : p.lines()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("purchased_at", p.purchasedAt().toString());
                row.put("receipt_no", p.receiptNo());
                row.put("store_id", p.storeId());
                // what was taken back of the purchase here, as the counter marks it
                row.put("refunded_fen", p.refundedFen());
                row.put("voided", p.voided());
                row.putAll(l.toPayload());
                // the store's catalogue name in the chosen language; null for a SKU it does not list
                row.put("name", l.sku() == null || !s.products().bySku().containsKey(l.sku()) ? null
                        : s.products().name(l.sku(), format.locale()));
                purchases.add(row);
            }
        }
        doc.put("purchases", purchases);
        List<Map<String, Object>> favourites = new ArrayList<>();
        for (Favourite f : s.favourites()) {
            favourites.add(Map.of("sku", f.sku(), "category", f.category() == null ? "" : f.category(),
                    "name", s.products().name(f.sku(), format.locale()), "times_bought", f.timesBought(), "qty", f.qty()));
        }
        doc.put("favourites", favourites);
        List<Map<String, Object>> suggestions = new ArrayList<>();
        for (Suggestion sg : s.suggestions()) {
            Map<String, Object> coupon = null;
            if (!sg.isPoints()) {
                coupon = new LinkedHashMap<>();
                coupon.put("code", sg.couponCode());
                coupon.put("template", sg.template().id());
                coupon.put("name", format.couponName(sg));
                coupon.put("valid_until", sg.until().toString());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("coupon", coupon);
            row.put("points", sg.isPoints() ? sg.points() : null);
            row.put("value_fen", sg.valueFen());
            row.put("reason", sg.reason().name());
            row.put("title", format.suggestionTitle(sg));
            row.put("text", format.reason(sg));
            suggestions.add(row);
        }
        doc.put("suggestions", suggestions);
        return doc;
    }

    /** The member panel, line by line, with the member's marketing consent. */
    private static void printText(PrintWriter out, MemberSummary s, List<ConsentRecord> consent, MemberPanelFormat format,
                                  ResourceBundle b) {
        MemberPanelFormat.Panel p = format.panel(s);
        out.printf("%s  %s  %s  %s%n", p.name(), p.cardCode(), p.phone(), p.tierText());
        out.println(consentText(consent, b));
        out.printf("%s: %s   %s: %s%n", b.getString("member.points"), p.points(), b.getString("member.storedValue"),
                p.storedValue());
        if (!p.tags().isEmpty()) {
            out.println(String.join(" · ", p.tags()));
        }
        if (!p.customTags().isEmpty()) {
            out.println(new UserMessage("member.customTags", String.join(" · ", p.customTags())).format(b));
        }
        out.println(p.tierProgress().isEmpty() ? p.lastVisit() : p.lastVisit() + "   " + p.tierProgress());
        if (!s.chainHeld()) {
            out.println(new UserMessage("lookup.notHeld").format(b));
        }
        if (!p.pointsExpiring().isEmpty()) {
            out.println(p.pointsExpiring());
        }
        if (!p.favourites().isEmpty()) {
            out.println(b.getString("counter.favourites") + ": " + String.join("   ", p.favourites()));
        }
        for (MemberPanelFormat.SuggestionRow row : p.suggestions()) {
            out.printf("* %s — %s%n", row.title(), row.reason());
        }
        for (MemberPanelFormat.PurchaseRow row : p.purchases()) {
            String amount = row.reversalText().isEmpty() ? row.amount() : row.amount() + " (" + row.reversalText() + ")";
            out.printf("  %s  %s  %s  %s%n", row.date(), amount, row.items(), row.receiptNo());
        }
    }

    /** "Marketing: SMS yes · WeChat no" (a channel never asked: "not asked"). */
    static String consentText(List<ConsentRecord> consent, ResourceBundle b) {
        return new UserMessage("lookup.consent", answer(consent, ConsentChannel.MARKETING_SMS, b),
                answer(consent, ConsentChannel.MARKETING_WECHAT, b)).format(b);
    }

    private static String answer(List<ConsentRecord> consent, ConsentChannel channel, ResourceBundle b) {
        return consent.stream().filter(c -> c.channel() == channel).findFirst()
                .map(c -> b.getString(c.granted() ? "consent.yes" : "consent.no"))
                .orElse(b.getString("consent.notAsked"));
    }
}
