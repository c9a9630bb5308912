package dev.counterpoint.protocol;

/**
 * Where a purchase was recorded.
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum PurchaseSource { SALE, IMPORT, DEMO }
