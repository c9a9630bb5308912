package dev.counterpoint.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every command's exit code means (decision 0074): one meaning a number, the same in every command, so a script
 * can act on it without knowing which command it ran. README.md, "Exit codes", lists them; every command's --help too.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Refused by a rule, in whole or in part: what was refused is said on standard error, and none of it was written. */
    public static final int REFUSED = 1;
    /** Bad usage or input (picocli's own code for a usage error). */
    public static final int USAGE = 2;
    /** No such member, card, coupon, receipt, account, terminal or key. */
    public static final int NOT_FOUND = 3;
    /** The data dir or its database cannot be used, or the command failed in a way it does not name. */
    public static final int UNAVAILABLE = 4;
    /** No one approved it: a member of staff or a manager unknown, locked, without the role, their PIN wrong or missing. */
    public static final int NOT_APPROVED = 5;
    /** Head office or a reminder channel could not be reached or refused; nothing is lost, a later run tries again. */
    public static final int UNREACHABLE = 6;
    /** The receipt printer could not print; what was printed for is done. */
    public static final int NOT_PRINTED = 7;
    /** The data key of this data dir is not in this account's key store or key folder (a copied data dir). */
    public static final int KEY_MISSING = 8;
    /** The audit log's hash chain is broken. */
    public static final int AUDIT_BROKEN = 9;

    private ExitCodes() {}

    /** Every code with its meaning, in the words of README.md, for the exit-code list of every command's --help. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(key(OK), "done");
        list.put(key(REFUSED), "refused by a rule, all or part; nothing refused is written");
        list.put(key(USAGE), "bad usage or input");
        list.put(key(NOT_FOUND), "no such member, card, coupon, receipt, account, terminal or key");
        list.put(key(UNAVAILABLE), "the data dir or its database cannot be used");
        list.put(key(NOT_APPROVED), "staff or manager unknown, locked, without the role, or PIN wrong");
        list.put(key(UNREACHABLE), "head office or a reminder channel not reached; a later run tries again");
        list.put(key(NOT_PRINTED), "the receipt printer could not print");
        list.put(key(KEY_MISSING), "the data dir's key is not in this account's key folder");
        list.put(key(AUDIT_BROKEN), "the audit log's chain is broken");
        return list;
    }

    private static String key(int code) {
        return String.format("%2d", code);
    }
}
