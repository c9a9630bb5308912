package dev.counterpoint.protocol;

/**
 * Why a member's tier was set: an upgrade on a sale, the yearly review's outcome, or a sale's upgrade taken back with
 * its void the same day ({@code UPGRADE_VOIDED}, decision 0091).
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum TierReason { UPGRADE, REVIEW_KEPT, REVIEW_DOWNGRADE, REVIEW_UPGRADE, UPGRADE_VOIDED }
