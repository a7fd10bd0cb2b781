package dev.loupe.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes synthetic clips with FFmpeg: the background colour changes every second ({@link
 * #colourOfSecond}), a white square moves, and the frame number is drawn in, so a test can tell
 * which frame it got.
 */
public final class TestClips {
  /** One colour per second, far apart in every channel pair so compression cannot confuse them. */
  private static final Color[] PALETTE = {
      new Color(220, 30, 30), new Color(30, 200, 30), new Color(30, 30, 220),
      new Color(230, 230, 30), new Color(220, 30, 220), new Color(30, 220, 220)};

  /** A container and the encoder used for it. */
  public enum Kind {
    MP4_H264("mp4", "libopenh264", ".mp4"),
    MP4_MPEG4("mp4", "mpeg4", ".mp4"),
    WEBM_VP8("webm", "libvpx", ".webm"),
    MKV_VP9("matroska", "libvpx-vp9", ".mkv"),
    AVI_MJPEG("avi", "mjpeg", ".avi"),
    FLV("flv", "flv", ".flv"),
    WMV("asf", "wmv2", ".wmv");

    final String muxer;
    final String encoder;
    final String extension;

    Kind(String muxer, String encoder, String extension) {
      this.muxer = muxer;
      this.encoder = encoder;
      this.extension = extension;
    }
  }

  static {
    av_log_set_level(AV_LOG_QUIET); // the encoders' notices are noise in test output
  }

  private TestClips() {}

  static Color colourOfSecond(int second) {
    return PALETTE[second % PALETTE.length];
  }

  /** Writes {@code frames} frames at {@code fps} into {@code dir}; returns the file. */
  public static Path write(Path dir, Kind kind, int frames, int fps, int width, int height)
      throws IOException {
    Path file = dir.resolve("clip-" + kind.name().toLowerCase() + "-" + frames + "x" + fps
        + kind.extension);
    AVFormatContext output = new AVFormatContext(null);
    check(avformat_alloc_output_context2(output, null, kind.muxer, file.toString()), "muxer");
    AVCodec codec = avcodec_find_encoder_by_name(kind.encoder);
    if (codec == null) {
      throw new IOException("no encoder " + kind.encoder);
    }
    AVStream stream = avformat_new_stream(output, null);
    AVCodecContext encoder = avcodec_alloc_context3(codec);
    int pixelFormat = kind == Kind.AVI_MJPEG ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
    encoder.width(width).height(height).pix_fmt(pixelFormat).gop_size(fps).bit_rate(400_000);
    encoder.time_base(av_make_q(1, fps));
    encoder.framerate(av_make_q(fps, 1));
    encoder.max_b_frames(0);
    if ((output.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    check(avcodec_open2(encoder, codec, (AVDictionary) null), "encoder " + kind.encoder);
    check(avcodec_parameters_from_context(stream.codecpar(), encoder), "parameters");
    stream.time_base(encoder.time_base());
    stream.avg_frame_rate(av_make_q(fps, 1));
    AVIOContext io = new AVIOContext(null);
    check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "open " + file);
    output.pb(io);
    check(avformat_write_header(output, (AVDictionary) null), "header");

    AVFrame frame = av_frame_alloc();
    frame.format(pixelFormat).width(width).height(height);
    check(av_frame_get_buffer(frame, 0), "frame buffer");
    SwsContext scaler = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, pixelFormat,
        SWS_BILINEAR, (SwsFilter) null, (SwsFilter) null, (DoublePointer) null);
    AVPacket packet = av_packet_alloc();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    try (BytePointer source = new BytePointer((long) bgr.length);
        PointerPointer<BytePointer> planes = new PointerPointer<>(4);
        IntPointer strides = new IntPointer(4)) {
      planes.put(0, source);
      strides.put(0, width * 3);
      for (int i = 0; i < frames; i++) {
        draw(image, i, fps);
        source.put(bgr);
        check(av_frame_make_writable(frame), "writable");
        sws_scale(scaler, planes, strides, 0, height, frame.data(), frame.linesize());
        frame.pts(i);
        check(avcodec_send_frame(encoder, frame), "encode");
        drain(output, encoder, stream, packet);
      }
      check(avcodec_send_frame(encoder, null), "flush");
      drain(output, encoder, stream, packet);
      check(av_write_trailer(output), "trailer");
    } finally {
      sws_freeContext(scaler);
      av_packet_free(packet);
      av_frame_free(frame);
      avcodec_free_context(encoder);
      avio_closep(output.pb());
      avformat_free_context(output);
    }
    return file;
  }

  private static void draw(BufferedImage image, int index, int fps) {
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(colourOfSecond(index / fps));
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      int side = image.getHeight() / 4;
      int x = (index * 7) % Math.max(1, image.getWidth() - side);
      g.setColor(Color.WHITE);
      g.fillRect(x, image.getHeight() - side - 4, side, side);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.MONOSPACED, Font.BOLD, image.getHeight() / 5));
      g.drawString(Integer.toString(index), 6, image.getHeight() / 4);
    } finally {
      g.dispose();
    }
  }

  private static void drain(AVFormatContext output, AVCodecContext encoder, AVStream stream,
      AVPacket packet) throws IOException {
    while (avcodec_receive_packet(encoder, packet) >= 0) {
      av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      check(av_interleaved_write_frame(output, packet), "write");
    }
  }

  private static void check(int status, String what) throws IOException {
    if (status < 0) {
      throw new IOException(what + " failed: " + status);
    }
  }
}
