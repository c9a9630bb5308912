package dev.counterpoint.protocol;

/**
 * How a member came to be enrolled.
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum EnrolmentSource { COUNTER, IMPORT, DEMO }
