package dev.counterpoint.main;

/**
 * Head office's entry point in its own package and image (decision 0073): the `office` command, so
 * {@code counterpoint-office add-terminal …} is {@code counterpoint office add-terminal …} and no arguments run the
 * server.
 */
public final class OfficeMain {
    private OfficeMain() {}

    public static void main(String[] args) {
        Main.main(officeArgs(args));
    }

    /** The arguments as the `office` command's: root options (--data-dir, --lang) are inherited by it. */
    static String[] officeArgs(String[] args) {
        String[] out = new String[args.length + 1];
        out[0] = "office";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }
}
