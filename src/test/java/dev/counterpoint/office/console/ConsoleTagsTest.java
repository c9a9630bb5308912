package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.CARD_BOTH;
import static dev.counterpoint.office.console.ConsoleFixture.CARD_S001;
import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S001;
import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S002;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Custom tags in the console (decision 0077): added and removed on a member's page through its CSRF-protected form, by
 * the owner or by a manager of a store holding the member, sent to the member's stores; refused with the reason when
 * the tag is not one; and a campaign's segment selects by them, naming a tag no member holds.
 */
class ConsoleTagsTest {
    private ConsoleFixture office;

    @BeforeEach
    void start() {
        office = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        office.close();
    }

    @Test
    void theOwnerAddsAndRemovesATagOnTheMembersPageAndItGoesToTheMembersStores() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        ConsoleClient.Reply page = boss.get("/members/" + CARD_BOTH);
        assertThat(page.body()).contains("action=\"/members/" + CARD_BOTH + "/tags\"").contains("Own tags");
        long feedBefore = feedLength();

        assertThat(boss.post("/members/" + CARD_BOTH + "/tags", Map.of("tag", "VIP", "action", "add")).status())
                .as("no CSRF token").isEqualTo(403);
        ConsoleClient.Reply added = boss.post("/members/" + CARD_BOTH + "/tags",
                Map.of("_csrf", page.csrf(), "tag", "  VIP ", "action", "add"));
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body()).contains("Tag \"VIP\" added.").contains("<span class=\"tag custom\">VIP</span>");
        List<Map<String, Object>> changes = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT kind, payload, target_store FROM change_log WHERE seq > :s ORDER BY seq").bind("s", feedBefore)
                .mapToMap().list());
        assertThat(changes).isNotEmpty().allSatisfy(c -> {
            assertThat(c.get("kind")).isEqualTo("member.tag");
            assertThat((String) c.get("payload")).contains("\"tag\":\"VIP\"").contains("\"on\":true");
            assertThat(c.get("target_store")).as("the member's stores only").isNotNull();
        });
        assertThat(count("SELECT COUNT(*) FROM console_audit WHERE action = 'TAG_ADDED' AND username = 'boss'")).isEqualTo(1);

        ConsoleClient.Reply automatic = boss.post("/members/" + CARD_BOTH + "/tags",
                Map.of("_csrf", page.csrf(), "tag", "Dormant", "action", "add"));
        assertThat(automatic.status()).isEqualTo(400);
        assertThat(automatic.body()).contains("not an automatic tag");
        // a tag one letter too long is refused with the rule, not cut short by the browser into another tag
        assertThat(page.body()).doesNotContain("maxlength=\"16\"");
        ConsoleClient.Reply tooLong = boss.post("/members/" + CARD_BOTH + "/tags",
                Map.of("_csrf", page.csrf(), "tag", "一二三四五六七八九十一二三四五六七", "action", "add"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("1 to 16");

        ConsoleClient.Reply removed = boss.post("/members/" + CARD_BOTH + "/tags",
                Map.of("_csrf", page.csrf(), "tag", "VIP", "action", "remove"));
        assertThat(removed.body()).contains("Tag \"VIP\" removed.").doesNotContain("<span class=\"tag custom\">VIP</span>");
        assertThat(count("SELECT COUNT(*) FROM member_tag WHERE tag_on")).isZero();
    }

    @Test
    void aManagerTagsOnlyTheMembersTheirStoreHolds() throws Exception {
        ConsoleClient li = office.as(MANAGER_S002);
        String csrf = li.get("/members").csrf();
        assertThat(li.post("/members/" + CARD_S001 + "/tags", Map.of("_csrf", csrf, "tag", "VIP", "action", "add")).status())
                .isEqualTo(403);
        ConsoleClient wang = office.as(MANAGER_S001);
        ConsoleClient.Reply page = wang.get("/members/" + CARD_BOTH);
        ConsoleClient.Reply added = wang.post("/members/" + CARD_BOTH + "/tags",
                Map.of("_csrf", page.csrf(), "tag", "素食", "action", "add"));
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body()).contains("<span class=\"tag custom\">素食</span>");
        assertThat(count("SELECT COUNT(*) FROM member_tag WHERE tag_on")).isEqualTo(1);
    }

    @Test
    void aCampaignsSegmentSelectsByCustomTagsAndNamesThoseNoMemberHolds() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        ConsoleClient.Reply member = boss.get("/members/" + CARD_BOTH);
        boss.post("/members/" + CARD_BOTH + "/tags", Map.of("_csrf", member.csrf(), "tag", "咖啡俱乐部", "action", "add"));

        ConsoleClient.Reply page = boss.get("/campaigns");
        assertThat(page.body()).contains("Own tags in use: 咖啡俱乐部");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", page.csrf());
        form.put("name", "Club");
        form.put("title", "俱乐部券");
        form.put("kind", "amount");
        form.put("amount", "10");
        form.put("valid_days", "14");
        form.put("custom_tags", "咖啡俱乐部，无人用");
        ConsoleClient.Reply counted = boss.post("/campaigns/preview", form);
        assertThat(counted.status()).as(counted.body()).isEqualTo(200);
        assertThat(counted.body()).contains("id=\"preview-count\">1 members match.")
                .contains("class=\"caution\" id=\"tags-held-by-none\">No member holds these tags (yet): 无人用.");
        // valid but selecting nobody: named in the caution style, listed as each language lists
        form.put("custom_tags", "咖啡俱乐部，无人用，也无人");
        assertThat(boss.post("/campaigns/preview", form).body())
                .contains("No member holds these tags (yet): 无人用, 也无人.");
        boss.language = "zh-CN";
        assertThat(boss.post("/campaigns/preview", form).body())
                .contains("class=\"caution\" id=\"tags-held-by-none\">（目前）没有会员带有这些标签：无人用、也无人。");
        boss.language = "en";
        form.put("custom_tags", "a/b");
        ConsoleClient.Reply refused = boss.post("/campaigns/preview", form);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().replace("&#34;", "\"").replace("&quot;", "\""))
                .contains("Own tags: \"a/b\" is not a tag: a tag is 1 to 16 letters, digits, spaces, - or _.")
                .doesNotContain("segment.tags");
        form.put("custom_tags", "咖啡俱乐部, loyal");
        ConsoleClient.Reply automatic = boss.post("/campaigns/preview", form);
        assertThat(automatic.status()).as("an automatic tag typed as an own tag is not quietly ticked").isEqualTo(400);
        assertThat(automatic.body().replace("&#34;", "\"").replace("&quot;", "\""))
                .contains("Own tags: \"loyal\" is the automatic tag Loyal: tick it under Tags instead.")
                .doesNotContain("id=\"preview-count\"");
    }

    private long count(String sql) {
        return office.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private long feedLength() {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT last_seq FROM feed_lock").mapTo(Long.class).one());
    }
}
