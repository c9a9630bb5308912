package dev.counterpoint.protocol;

/**
 * What the tier thresholds measure over the rolling 12 months.
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum TierBasis { SPEND, POINTS }
