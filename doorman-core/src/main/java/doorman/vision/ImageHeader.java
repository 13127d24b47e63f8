package doorman.vision;

import java.nio.charset.StandardCharsets;

/**
 * An image's format and size as its header states them, read without decoding a pixel, so that a hostile
 * file claiming billions of pixels is refused before OpenCV allocates memory for it. Only the formats whose
 * headers we can read are accepted; anything else could smuggle an unbounded image past the limit.
 */
record ImageHeader(String format, long width, long height) {

    static final String SUPPORTED = "use JPEG, PNG, BMP or PGM/PPM";

    long pixels() {
        return width * height;
    }

    /** Reads the header, or throws {@link ImageException} for an unsupported format or a damaged header. */
    static ImageHeader parse(byte[] b) {
        ImageHeader header;
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) header = jpeg(b);
        else if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) header = png(b);
        else if (startsWith(b, 'B', 'M')) header = bmp(b);
        else if (b.length >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') header = pnm(b);
        else throw unreadable("unsupported format; " + SUPPORTED);
        if (header.width <= 0 || header.height <= 0) throw unreadable(header.format + " header has no size");
        return header;
    }

    static ImageException unreadable(String why) {
        return new ImageException("not a readable image (" + why + ")");
    }

    /** Walks the marker segments to the frame header, then insists the scan data reaches its end marker. */
    private static ImageHeader jpeg(byte[] b) {
        ImageHeader frame = null;
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) throw unreadable("corrupt JPEG data");
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { // markers without a length
                i += 2;
                continue;
            }
            if (marker == 0xD9) break;
            int length = u16be(b, i + 2);
            if (length < 2) throw unreadable("corrupt JPEG data");
            if (isStartOfFrame(marker) && frame == null && i + 9 <= b.length) {
                frame = new ImageHeader("JPEG", u16be(b, i + 7), u16be(b, i + 5));
            }
            if (marker == 0xDA) {
                if (frame == null) break;
                // entropy-coded data escapes every 0xFF, so the only FF D9 after the first scan is the real end
                if (!containsEndOfImage(b, i + 2 + length)) throw unreadable("truncated JPEG data");
                return frame;
            }
            i += 2 + length;
        }
        throw unreadable(frame == null && i + 4 > b.length ? "truncated JPEG data" : "corrupt JPEG data");
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean containsEndOfImage(byte[] b, int from) {
        for (int i = Math.max(from, 0); i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) return true;
        }
        return false;
    }

    private static ImageHeader png(byte[] b) {
        if (b.length < 24 || !"IHDR".equals(new String(b, 12, 4, StandardCharsets.US_ASCII))) {
            throw unreadable("corrupt PNG data");
        }
        return new ImageHeader("PNG", u32be(b, 16), u32be(b, 20));
    }

    private static ImageHeader bmp(byte[] b) {
        if (b.length < 26) throw unreadable("corrupt BMP data");
        long infoSize = u32le(b, 14);
        if (infoSize == 12) return new ImageHeader("BMP", u16le(b, 18), u16le(b, 20));
        if (infoSize < 40) throw unreadable("corrupt BMP data");
        // a negative height only means the rows are stored top-down
        return new ImageHeader("BMP", s32le(b, 18), Math.abs((long) s32le(b, 22)));
    }

    /** Netpbm: magic, then width and height as decimal text, with '#' comments allowed between tokens. */
    private static ImageHeader pnm(byte[] b) {
        String format = b[1] == '2' || b[1] == '5' ? "PGM" : b[1] == '3' || b[1] == '6' ? "PPM" : "PBM";
        int[] pos = {2};
        long width = pnmNumber(b, pos, format);
        long height = pnmNumber(b, pos, format);
        return new ImageHeader(format, width, height);
    }

    private static long pnmNumber(byte[] b, int[] pos, String format) {
        int i = pos[0];
        while (i < b.length && (Character.isWhitespace(b[i]) || b[i] == '#')) {
            if (b[i] == '#') {
                while (i < b.length && b[i] != '\n' && b[i] != '\r') i++;
            } else {
                i++;
            }
        }
        long value = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            if (++digits > 9) throw unreadable("corrupt " + format + " header");
            value = value * 10 + (b[i++] - '0');
        }
        if (digits == 0) throw unreadable("corrupt " + format + " header");
        pos[0] = i;
        return value;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) return false;
        }
        return true;
    }

    private static int u16be(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int i) {
        return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int s32le(byte[] b, int i) {
        return u16le(b, i) | u16le(b, i + 2) << 16;
    }

    private static long u32le(byte[] b, int i) {
        return s32le(b, i) & 0xFFFFFFFFL;
    }
}
