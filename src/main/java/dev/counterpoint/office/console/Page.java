package dev.counterpoint.office.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What every console page's layout needs: the words, who is signed in (null on the sign-in page), the session's CSRF
 * token for its forms, which menu entry is current and the page's own address (for the language switch).
 */
public record Page(Texts t, Viewer viewer, String csrf, String nav, String path) {
    /** The menu: an entry's key under {@code console.nav.} and its address. */
    public record NavItem(String id, String href) {
    }

    private static final List<NavItem> NAV = List.of(new NavItem("today", "/"), new NavItem("reports", "/reports"),
            new NavItem("exceptions", "/exceptions"), new NavItem("members", "/members"),
            new NavItem("terminals", "/terminals"), new NavItem("rules", "/rules"), new NavItem("campaigns", "/campaigns"));

    /** The menu; campaigns are the chain's, an owner's page. */
    public List<NavItem> navItems() {
        return viewer != null && viewer.isOwner() ? NAV : NAV.stream().filter(i -> !i.id().equals("campaigns")).toList();
    }

    /** The address that switches to {@code tag} (zh-CN or en) and comes back here. */
    public String langHref(String tag) {
        return "/lang?to=" + tag + "&back=" + URLEncoder.encode(path == null ? "/" : path, StandardCharsets.UTF_8);
    }

    public String langName(String tag) {
        return "zh-CN".equals(tag) ? "中文" : "English";
    }

    public List<String> langTags() {
        return Texts.LANGUAGES.stream().map(Texts::tag).toList();
    }

    /** "owner" or "manager of S001", in the page's language. */
    public String who() {
        if (viewer == null) {
            return "";
        }
        return viewer.isOwner() ? t.text("console.role.owner", viewer.username())
                : t.text("console.role.manager", viewer.username(), viewer.storeId());
    }
}
