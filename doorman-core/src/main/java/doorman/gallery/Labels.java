package doorman.gallery;

import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/** Validation and normalisation of the free text the gallery stores: person names, encoder names, photo hashes. */
final class Labels {

    static final int MAX_LENGTH = 64;

    private static final char ZERO_WIDTH_NON_JOINER = '\u200C';
    private static final char ZERO_WIDTH_JOINER = '\u200D';

    private Labels() {
    }

    /**
     * Trims and NFC-normalises {@code raw} (so "José" typed two ways is one name) and checks it is 1..64
     * characters without control or invisible formatting characters, which would make two names look alike
     * in the audit log. Zero-width (non-)joiners stay allowed since several scripts need them in names.
     */
    static String clean(String raw, String what) {
        if (raw == null) throw new IllegalArgumentException(what + " is missing");
        String text = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (text.isEmpty()) throw new IllegalArgumentException(what + " must not be blank");
        int length = text.codePointCount(0, text.length());
        if (length > MAX_LENGTH)
            throw new IllegalArgumentException(what + " must be at most " + MAX_LENGTH + " characters, got " + length);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!allowed(c))
                throw new IllegalArgumentException(String.format("%s must not contain control or formatting characters (U+%04X at position %d)",
                        what, c, text.codePointCount(0, i) + 1));
            i += Character.charCount(c);
        }
        return text;
    }

    private static boolean allowed(int c) {
        int type = Character.getType(c);
        if (c == ZERO_WIDTH_NON_JOINER || c == ZERO_WIDTH_JOINER) return true;
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && type != Character.SURROGATE
                && type != Character.UNASSIGNED && type != Character.PRIVATE_USE;
    }

    /** The uniqueness key of a clean name: case-folded with runs of spaces collapsed. */
    static String nameKey(String cleanName) {
        String collapsed = cleanName.replaceAll("\\s+", " ");
        return collapsed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Accepts 64 hex digits in either case and returns them in lower case. */
    static String sha256(String raw) {
        if (raw == null) throw new IllegalArgumentException("the photo's SHA-256 is missing");
        String hex = raw.strip().toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit))
            throw new IllegalArgumentException("the photo's SHA-256 must be 64 hex digits, got \"" + abbreviate(raw) + "\"");
        return hex;
    }

    private static String abbreviate(String s) {
        String printable = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
