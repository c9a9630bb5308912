package dev.counterpoint.cli;

import dev.counterpoint.scan.MemberQrKeys;
import dev.counterpoint.scan.MemberQrSigner;
import dev.counterpoint.scan.MemberQrToken;
import dev.counterpoint.scan.MemberQrVerifier;
import dev.counterpoint.scan.QrCodes;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "member-qr",
        description = {"Print a currently valid signed member QR token for a card (what the member's phone would show),",
                "alone on the last line. Signed with the data dir's member-QR key, made on first use.",
                "Exit 0: printed; 2: not a card code a token can carry."})
public final class MemberQrCommand implements Callable<Integer> {
    public static final int EXIT_BAD_CODE = 2;

    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CARD_CODE", description = "The member's card code.")
    String cardCode;

    @Option(names = "--png", paramLabel = "FILE", description = "Also write the token as a QR image (PNG).")
    Path png;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(root.locale());
        Path dataDir = root.dataDir();
        boolean newKey = !Files.exists(dataDir.resolve(MemberQrKeys.SIGNING_FILE));
        Clock clock = Clock.systemUTC();
        String token;
        try {
            token = new MemberQrSigner(MemberQrKeys.signingKey(dataDir), clock).tokenFor(cardCode.strip());
        } catch (IllegalArgumentException e) {
            err.println(new UserMessage("memberQr.badCode", cardCode).format(bundle));
            return EXIT_BAD_CODE;
        }
        if (newKey) {
            err.println(new UserMessage("memberQr.newKey", dataDir.resolve(MemberQrKeys.TRUSTED_FILE)).format(bundle));
        }
        long expires = MemberQrToken.parse(token).orElseThrow().expiresEpochSecond();
        if (png != null) {
            QrCodes.writePng(token, 400, png);
            out.println(new UserMessage("memberQr.png", png.toAbsolutePath()).format(bundle));
        }
        out.println(new UserMessage("memberQr.validUntil", Instant.ofEpochSecond(expires).toString(),
                MemberQrVerifier.SKEW.toSeconds()).format(bundle));
        out.println(token);
        out.flush();
        return 0;
    }
}
