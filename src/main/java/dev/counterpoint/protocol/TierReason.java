package dev.counterpoint.protocol;

/**
 * Why a member's tier was set: an upgrade on a sale or the yearly review's outcome.
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum TierReason { UPGRADE, REVIEW_KEPT, REVIEW_DOWNGRADE, REVIEW_UPGRADE }
