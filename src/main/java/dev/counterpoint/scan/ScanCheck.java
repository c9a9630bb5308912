package dev.counterpoint.scan;

import dev.counterpoint.shared.UserMessage;

/**
 * The gate between a scanner and the database: a read is parsed and validated, a member token is
 * verified, and only then is there a code to look up. Cheap enough for the UI thread.
 */
public final class ScanCheck {
    /** Look this code up, or show why not. */
    public sealed interface Outcome permits Lookup, LookupIfKnown, Refused {
    }

    /** Look the code up as an exact card number; if there is no such card, show {@code ifUnknown} (no enrolment). */
    public record LookupIfKnown(String code, UserMessage ifUnknown) implements Outcome {
    }

    public record Lookup(String code, CodeParser.Kind kind) implements Outcome {
    }

    public record Refused(UserMessage reason) implements Outcome {
    }

    private final MemberQrVerifier verifier;

    public ScanCheck(MemberQrVerifier verifier) {
        this.verifier = verifier;
    }

    public Outcome check(String raw) {
        CodeParser.Result parsed = CodeParser.parse(raw);
        if (parsed instanceof CodeParser.Rejected r) {
            return r.knownCardOnly() != null ? new LookupIfKnown(r.knownCardOnly(), r.reason()) : new Refused(r.reason());
        }
        CodeParser.Accepted a = (CodeParser.Accepted) parsed;
        if (a.kind() != CodeParser.Kind.MEMBER_TOKEN) {
            return new Lookup(a.code(), a.kind());
        }
        MemberQrVerifier.Outcome v = verifier.verify(a.code());
        if (v instanceof MemberQrVerifier.Verified ok) {
            return new Lookup(ok.cardCode(), CodeParser.Kind.MEMBER_TOKEN);
        }
        return new Refused(((MemberQrVerifier.Refused) v).reason());
    }
}
