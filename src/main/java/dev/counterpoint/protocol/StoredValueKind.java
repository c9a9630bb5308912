package dev.counterpoint.protocol;

/**
 * What a stored-value entry records.
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum StoredValueKind { OPENING, TOPUP, BONUS, PAY, REVERSE, ADJUST }
