package dev.loupe.video;

import java.nio.charset.StandardCharsets;

/**
 * Video containers Loupe opens, recognised by their leading bytes. FFmpeg is then told which
 * demuxer to use instead of probing: its probe would also try playlists (HLS, DASH, concat) that
 * name other files or URLs, which an upload must never make the server read.
 */
enum VideoContainer {
  /** ISO base media: MP4, MOV, M4V, 3GP. */
  MP4("mov"),
  /** Matroska and WebM. */
  MATROSKA("matroska"),
  AVI("avi"),
  FLV("flv"),
  /** ASF: WMV. */
  ASF("asf");

  /** Bytes needed to recognise every container. */
  static final int SNIFF_BYTES = 16;

  private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
  private static final byte[] ASF_GUID = {0x30, 0x26, (byte) 0xB2, 0x75, (byte) 0x8E, 0x66,
      (byte) 0xCF, 0x11, (byte) 0xA6, (byte) 0xD9, 0x00, (byte) 0xAA, 0x00, 0x62, (byte) 0xCE, 0x6C};

  private final String demuxer;

  VideoContainer(String demuxer) {
    this.demuxer = demuxer;
  }

  /** FFmpeg's name for the demuxer that reads this container. */
  String demuxer() {
    return demuxer;
  }

  /** The container whose signature {@code head} starts with, or {@code null}. */
  static VideoContainer detect(byte[] head, int length) {
    if (startsWith(head, length, EBML)) {
      return MATROSKA;
    }
    if (startsWith(head, length, ASF_GUID)) {
      return ASF;
    }
    if (length >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("AVI ")) {
      return AVI;
    }
    if (length >= 4 && ascii(head, 0, 3).equals("FLV") && head[3] == 1) {
      return FLV;
    }
    // QuickTime files written by older tools start with a moov, mdat, wide, free or skip box
    // rather than ftyp; all are read by the same demuxer.
    if (length >= 8) {
      String box = ascii(head, 4, 4);
      if (box.equals("ftyp") || box.equals("moov") || box.equals("mdat") || box.equals("wide")
          || box.equals("free") || box.equals("skip")) {
        return MP4;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] head, int length, byte[] signature) {
    if (length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if (head[i] != signature[i]) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(byte[] head, int offset, int count) {
    return new String(head, offset, count, StandardCharsets.ISO_8859_1);
  }
}
