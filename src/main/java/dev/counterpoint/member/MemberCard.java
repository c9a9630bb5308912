package dev.counterpoint.member;

import java.util.Objects;

/** What a member's printable QR card shows: their name and the card code the QR carries. */
public record MemberCard(String name, String cardCode) {
    public MemberCard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cardCode, "cardCode");
    }
}
