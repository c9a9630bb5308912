package dev.counterpoint.protocol;

/**
 * How a checkout was taken back: a void cancels it on the day it was made (it is left out of the day's sales); a refund
 * returns some or all of its lines later. Part of the sync protocol: the names travel in events.
 */
public enum RefundKind { VOID, REFUND }
