package dev.counterpoint.demo;

import dev.counterpoint.history.PurchaseLine;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the demo café-bakery sells: fixed SKU codes, categories and prices, so histories and
 * favourites read like a real shop's. Categories are the shop's own data, hence Chinese.
 */
final class DemoCatalog {
    static final String COFFEE = "咖啡";
    static final String TEA = "茶饮";
    static final String BREAD = "面包";
    static final String CAKE = "蛋糕";
    static final String BEANS = "咖啡豆";

    record Product(String sku, String category, long priceFen, String nameZh, String nameEn) {
        PurchaseLine line(int qty) {
            return new PurchaseLine(sku, category, qty, priceFen * qty);
        }

        /** As the store's catalogue names it. */
        dev.counterpoint.catalog.Product inCatalogue() {
            return new dev.counterpoint.catalog.Product(sku, nameZh, nameEn, category);
        }
    }

    static final List<Product> DRINKS = List.of(
            new Product("CF-AMERICANO", COFFEE, 2200, "美式咖啡", "Americano"),
            new Product("CF-LATTE", COFFEE, 2800, "拿铁", "Latte"),
            new Product("CF-CAPPUCCINO", COFFEE, 2800, "卡布奇诺", "Cappuccino"),
            new Product("CF-OAT-LATTE", COFFEE, 3200, "燕麦拿铁", "Oat latte"),
            new Product("CF-POUR-OVER", COFFEE, 3800, "手冲咖啡", "Pour-over coffee"),
            new Product("TE-MATCHA-LATTE", TEA, 3000, "抹茶拿铁", "Matcha latte"),
            new Product("TE-EARL-GREY", TEA, 2400, "伯爵红茶", "Earl Grey tea"));
    /** How often each drink is someone's usual: lattes lead, pour-over is for the few. */
    private static final int[] DRINK_WEIGHTS = {20, 30, 12, 14, 6, 10, 8};

    static final List<Product> BREADS = List.of(
            new Product("BR-CROISSANT", BREAD, 1500, "牛角包", "Croissant"),
            new Product("BR-TOAST-WHOLEWHEAT", BREAD, 2200, "全麦吐司", "Wholewheat toast"),
            new Product("BR-BAGUETTE", BREAD, 1800, "法棍", "Baguette"),
            new Product("BR-CINNAMON-ROLL", BREAD, 1600, "肉桂卷", "Cinnamon roll"));

    static final List<Product> CAKE_SLICES = List.of(
            new Product("CK-CHEESECAKE", CAKE, 3500, "芝士蛋糕", "Cheesecake"),
            new Product("CK-TIRAMISU", CAKE, 3800, "提拉米苏", "Tiramisu"));

    static final Product BIRTHDAY_CAKE = new Product("CK-BIRTHDAY-6IN", CAKE, 19800, "6 寸生日蛋糕", "6-inch birthday cake");

    static final List<Product> BEAN_BAGS = List.of(
            new Product("BN-YIRGACHEFFE-250G", BEANS, 9800, "耶加雪菲咖啡豆 250g", "Yirgacheffe beans 250 g"),
            new Product("BN-ESPRESSO-BLEND-500G", BEANS, 12800, "意式拼配咖啡豆 500g", "Espresso blend beans 500 g"));

    /** Everything the shop sells, as its catalogue lists it. */
    static List<Product> all() {
        List<Product> all = new ArrayList<>(DRINKS);
        all.addAll(BREADS);
        all.addAll(CAKE_SLICES);
        all.add(BIRTHDAY_CAKE);
        all.addAll(BEAN_BAGS);
        return all;
    }

    private DemoCatalog() {}

    /**
     * A member's habits: their usual drink and bread, and how likely each kind of item is in a visit.
     *
     * @param partySize how many drinks they order when they come with others
     */
    record Taste(Product drink, Product bread, Product beans, int breadPercent, int cakePercent, int beansPercent,
                 int partySize) {
    }

    static Taste randomTaste(RandomGenerator r) {
        return new Taste(DRINKS.get(weighted(DRINK_WEIGHTS, r)), BREADS.get(r.nextInt(BREADS.size())),
                BEAN_BAGS.get(r.nextInt(BEAN_BAGS.size())),
                r.nextInt(100) < 50 ? 55 : 12, r.nextInt(100) < 25 ? 35 : 6, r.nextInt(100) < 20 ? 22 : 1,
                2 + r.nextInt(2));
    }

    /** One visit's lines: mostly the usual drink, sometimes bread, cake or a bag of beans; never empty. */
    static List<PurchaseLine> basket(Taste t, RandomGenerator r) {
        List<PurchaseLine> lines = new ArrayList<>();
        int roll = r.nextInt(100);
        if (roll < 78) {
            lines.add(t.drink().line(r.nextInt(100) < 15 ? t.partySize() : 1));
        } else if (roll < 90) {
            lines.add(DRINKS.get(r.nextInt(DRINKS.size())).line(1));
        }
        if (r.nextInt(100) < t.breadPercent()) {
            lines.add((r.nextInt(100) < 70 ? t.bread() : BREADS.get(r.nextInt(BREADS.size()))).line(1 + (r.nextInt(100) < 20 ? 1 : 0)));
        }
        if (r.nextInt(100) < t.cakePercent()) {
            lines.add(CAKE_SLICES.get(r.nextInt(CAKE_SLICES.size())).line(1));
        }
        if (r.nextInt(100) < t.beansPercent()) {
            lines.add(t.beans().line(1));
        }
        if (lines.isEmpty()) {
            lines.add(t.drink().line(1));
        }
        return lines;
    }

    /** A round for the office: three to six of the usual drink, often pastries, sometimes a cake or beans. */
    static List<PurchaseLine> officeRound(Taste t, RandomGenerator r) {
        List<PurchaseLine> lines = new ArrayList<>();
        lines.add(t.drink().line(3 + r.nextInt(4)));
        if (r.nextInt(100) < 60) {
            lines.add(t.bread().line(2 + r.nextInt(3)));
        }
        if (r.nextInt(100) < 30) {
            lines.add(CAKE_SLICES.get(r.nextInt(CAKE_SLICES.size())).line(1 + r.nextInt(2)));
        }
        if (r.nextInt(100) < 20) {
            lines.add(t.beans().line(1));
        }
        return lines;
    }

    /** An index into {@code weights}, chosen with probability proportional to its weight. */
    static int weighted(int[] weights, RandomGenerator r) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable: weights sum to " + total);
    }
}
