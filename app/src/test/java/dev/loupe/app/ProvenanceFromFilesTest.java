package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.image.TestImages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder's first sightings come from the files: the sidecar, else EXIF DateTimeOriginal, else
 * XMP CreateDate, else the modification time. Run through {@code ./loupe index} and {@code search}.
 */
class ProvenanceFromFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void firstSeenFollowsTheSidecarThenExifThenXmpThenTheFileTime() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Instant modified = Instant.parse("2019-02-03T04:05:06Z");
    Path sidecar = write(photos.resolve("a-sidecar.jpg"), withExif(jpeg(1), "2015:06:01 12:34:56"), modified);
    Files.writeString(photos.resolve("a-sidecar.json"), "{\"first_seen\": \"2010-01-02T03:04:05Z\"}");
    Path exif = write(photos.resolve("b-exif.jpg"), withXmp(withExif(jpeg(2), "2015:06:01 12:34:56"), "2012-03-04T05:06:07Z"),
        modified);
    Path xmp = write(photos.resolve("c-xmp.jpg"), withXmp(jpeg(3), "2012-03-04T05:06:07Z"), modified);
    Path plain = write(photos.resolve("d-plain.jpg"), jpeg(4), modified);
    Path data = dir.resolve("data");
    Map<String, String> env = Map.of("HOME", dir.toString());
    LauncherTest.Run index = LauncherTest.loupe(env, "index", photos.toString(), "--quiet", "--data", data.toString());
    assertEquals(0, index.code(), index.err());

    Map<Path, String> expected = Map.of(sidecar, "2010-01-02T03:04:05Z", exif, "2015-06-01T12:34:56Z",
        xmp, "2012-03-04T05:06:07Z", plain, "2019-02-03T04:05:06Z");
    for (var e : expected.entrySet()) {
      LauncherTest.Run search = LauncherTest.loupe(env, "search", e.getKey().toString(), "--json", "-k", "1",
          "--data", data.toString());
      JsonNode hit = JSON.readTree(search.out()).get("results").get(0);
      assertEquals(e.getKey().toString(), hit.get("source").asText());
      assertEquals(e.getValue(), hit.get("first_seen").asText(), e.getKey().getFileName().toString());
    }
  }

  private static byte[] jpeg(long seed) {
    return TestImages.encode(TestImages.scene(320, 240, seed), "jpeg");
  }

  private static Path write(Path file, byte[] bytes, Instant modified) throws Exception {
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  /** {@code jpeg} with an EXIF APP1 segment: IFD0 pointing to a sub-IFD holding DateTimeOriginal. */
  static byte[] withExif(byte[] jpeg, String dateTimeOriginal) {
    ByteBuffer tiff = ByteBuffer.allocate(64);
    tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
    tiff.putShort((short) 1).putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(26).putInt(0); // IFD0
    tiff.putShort((short) 1).putShort((short) 0x9003).putShort((short) 2).putInt(20).putInt(44).putInt(0); // Exif IFD
    tiff.put((dateTimeOriginal + "\0").getBytes(StandardCharsets.US_ASCII));
    byte[] body = new byte[tiff.position()];
    tiff.flip().get(body);
    return withApp1(jpeg, "Exif\0\0".getBytes(StandardCharsets.US_ASCII), body);
  }

  /** {@code jpeg} with an XMP APP1 segment whose xmp:CreateDate is {@code createDate}. */
  static byte[] withXmp(byte[] jpeg, String createDate) {
    String packet = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        + "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:CreateDate=\"" + createDate + "\"/>"
        + "</rdf:RDF></x:xmpmeta>";
    return withApp1(jpeg, "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.US_ASCII),
        packet.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] withApp1(byte[] jpeg, byte[] identifier, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    int length = 2 + identifier.length + body.length;
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(identifier);
    out.writeBytes(body);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
