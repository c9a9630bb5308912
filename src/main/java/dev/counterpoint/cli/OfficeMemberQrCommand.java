package dev.counterpoint.cli;

import dev.counterpoint.office.MemberQrMint;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.scan.MemberQrVerifier;
import dev.counterpoint.scan.QrCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Head office mints a member's QR token, as the member's app gets it from {@code GET /v1/members/{card}/qr}. */
@Command(name = "member-qr",
        description = {"Print a member QR token for a card head office knows.",
                "What the member's phone shows, valid 60 s, alone on the last line; terminals verify it with head office's public",
                "key, which they get with sync.",
                "Exit 0: printed; 3: no such card at head office (or the member was erased)."})
public final class OfficeMemberQrCommand implements Callable<Integer> {
    @ParentCommand
    OfficeCommand office;

    @Mixin
    OfficeCommand.DbOptions db;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CARD_CODE", description = "The member's card code.")
    String cardCode;

    @Option(names = "--png", paramLabel = "FILE", description = "Also write the token as a QR image (PNG).")
    Path png;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
            Optional<MemberQrMint.Minted> minted = new MemberQrMint(database.jdbi(), Clock.systemUTC(), OfficeCommand.json(),
                    database.settingSeal()).mint(cardCode);
            if (minted.isEmpty()) {
                spec.commandLine().getErr().println("head office knows no card " + cardCode.strip()
                        + " (or its member was erased): no token is made for it");
                return ExitCodes.NOT_FOUND;
            }
            if (png != null) {
                QrCodes.writePng(minted.get().token(), 400, png);
                out.println("QR image written to " + png.toAbsolutePath());
            }
            out.println("valid until " + minted.get().expiresAt() + " (UTC), give or take " + MemberQrVerifier.SKEW.toSeconds()
                    + " s:");
            out.println(minted.get().token());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
