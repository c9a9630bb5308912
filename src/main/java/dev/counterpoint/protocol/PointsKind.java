package dev.counterpoint.protocol;

/**
 * What a points entry records.
 * Part of the sync protocol: the names travel in events and changes.
 */
public enum PointsKind { OPENING, EARN, SPEND, EXPIRE, REVERSE, ADJUST }
