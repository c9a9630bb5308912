package dev.counterpoint.sync;

import java.util.Map;

/**
 * What one sync did.
 *
 * @param verdicts       how many pushed events got each verdict
 * @param officeOffsetMs head office's clock minus this terminal's, measured at this sync
 * @param parked         changes from head office this terminal holds parked (could not apply), in all
 */
public record SyncReport(int pushed, int pulled, Map<String, Integer> verdicts, long officeOffsetMs, long parked) {
}
