package dev.loupe.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import dev.loupe.video.VideoRejected.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One pass of FFmpeg over one video file: open with a fixed demuxer, check the header against the
 * limits, decode the best video stream in order and keep the decoded frame nearest each sampling
 * time. Not thread-safe; {@link FrameSampler} makes one per call and closes it.
 *
 * <p>Native objects are freed in {@link #close()}, not by the garbage collector: a frame of 4K video
 * is 12 MB of native memory that the Java heap does not see.
 */
final class FfmpegFrameReader implements AutoCloseable {
  static {
    // Corrupt uploads would otherwise print decoder complaints on stderr; failures reach the
    // caller as VideoRejected instead.
    av_log_set_level(AV_LOG_QUIET);
  }

  /** Only the demuxers {@link VideoContainer} names; defence in depth beside the fixed demuxer. */
  private static final String FORMAT_WHITELIST = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,asf";

  private final VideoLimits limits;
  private final long deadlineNanos;
  private final AVFormatContext format = new AVFormatContext(null);
  private boolean opened;
  private AVCodecContext decoder;
  private AVPacket packet;
  private AVFrame current;
  private AVFrame previous;
  private SwsContext scaler;
  private AVStream stream;
  private int streamIndex;

  private final java.util.function.LongSupplier clock;

  FfmpegFrameReader(VideoLimits limits, long deadlineNanos, java.util.function.LongSupplier clock) {
    this.limits = limits;
    this.deadlineNanos = deadlineNanos;
    this.clock = clock;
  }

  /** What the header says, before any frame is decoded. */
  record Header(String codec, int width, int height, double durationSeconds, double fps,
      double startSeconds, AVRational timeBase) {}

  /**
   * Opens {@code file} as {@code container} and reads the stream headers.
   *
   * @throws VideoRejected {@link Reason#MALFORMED} if the container cannot be parsed, {@link
   *     Reason#UNSUPPORTED_FORMAT} if it holds no video stream Loupe decodes
   */
  Header open(Path file, VideoContainer container) throws VideoRejected {
    AVInputFormat input = av_find_input_format(container.demuxer());
    AVDictionary options = new AVDictionary(null);
    // Only the local file itself: no network, no reading other files named inside the upload.
    av_dict_set(options, "protocol_whitelist", "file", 0);
    av_dict_set(options, "format_whitelist", FORMAT_WHITELIST, 0);
    int status;
    try {
      status = avformat_open_input(format, file.toString(), input, options);
    } finally {
      av_dict_free(options);
    }
    if (status < 0) {
      throw malformed(container, "the container could not be read");
    }
    opened = true;
    if (avformat_find_stream_info(format, (PointerPointer<?>) null) < 0) {
      throw malformed(container, "the stream headers could not be read");
    }
    checkDeadline();
    streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
    if (streamIndex < 0) {
      throw new VideoRejected(Reason.UNSUPPORTED_FORMAT,
          "video has no video stream (" + container.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    stream = format.streams(streamIndex);
    AVCodecParameters parameters = stream.codecpar();
    String codecName = avcodec_get_name(parameters.codec_id()).getString();
    AVCodec codec = avcodec_find_decoder(parameters.codec_id());
    if (codec == null) {
      throw new VideoRejected(Reason.UNSUPPORTED_FORMAT, "unsupported video codec: " + codecName);
    }
    int width = parameters.width();
    int height = parameters.height();
    if (width < 1 || height < 1) {
      throw malformed(container, "the video stream declares no frame size");
    }
    checkPixels(width, height);
    decoder = avcodec_alloc_context3(codec);
    if (decoder == null || avcodec_parameters_to_context(decoder, parameters) < 0) {
      throw malformed(container, "the decoder could not be configured");
    }
    // One decoding thread: FFmpeg's own worker threads cannot be named or owned by Loupe, and a
    // caller that wants parallelism runs several videos on its own executor.
    decoder.thread_count(1);
    if (avcodec_open2(decoder, codec, (AVDictionary) null) < 0) {
      throw new VideoRejected(Reason.UNSUPPORTED_FORMAT, "unsupported video codec: " + codecName);
    }
    packet = av_packet_alloc();
    current = av_frame_alloc();
    previous = av_frame_alloc();
    AVRational timeBase = stream.time_base();
    double start = stream.start_time() != AV_NOPTS_VALUE ? stream.start_time() * q(timeBase) : 0;
    return new Header(codecName, width, height, duration(timeBase), frameRate(), start, timeBase);
  }

  /**
   * Reads packets without decoding them to find where the last one ends: for containers whose
   * header gives no duration (WebM from browser recorders). Leaves the reader at the end; reopen to
   * decode. {@code NaN} if no packet has a timestamp.
   */
  double scanDuration(Header header) throws VideoRejected {
    long end = Long.MIN_VALUE;
    while (av_read_frame(format, packet) >= 0) {
      try {
        checkDeadline();
        if (packet.stream_index() == streamIndex && packet.pts() != AV_NOPTS_VALUE) {
          end = Math.max(end, packet.pts() + Math.max(0, packet.duration()));
          if ((end * q(header.timeBase())) - header.startSeconds() > limits.maxDurationSeconds()) {
            break; // long enough to refuse; no need to read further
          }
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    return end == Long.MIN_VALUE ? Double.NaN : end * q(header.timeBase()) - header.startSeconds();
  }

  /**
   * Decodes in presentation order and returns, for each time in {@code targets} (seconds from the
   * first frame, ascending), the decoded frame nearest to it; ties go to the earlier frame. Stops as
   * soon as every target has its frame. Targets after the last decodable frame (a truncated file)
   * get no frame, except those within one frame interval of it.
   */
  Sampled sample(Header header, double[] targets, int targetLongSide) throws VideoRejected {
    List<DecodedImage> frames = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    double frameInterval = header.fps() > 0 ? 1 / header.fps() : 0.1;
    double previousTime = Double.NaN;
    DecodedImage previousImage = null;
    double firstTime = Double.NaN;
    int next = 0;
    boolean draining = false;
    while (next < targets.length) {
      checkDeadline();
      int status = avcodec_receive_frame(decoder, current);
      if (status == AVERROR_EAGAIN() && !draining) {
        int read = av_read_frame(format, packet);
        try {
          if (read < 0) {
            draining = true;
            avcodec_send_packet(decoder, null); // enter drain mode: hand out buffered frames
          } else if (packet.stream_index() == streamIndex) {
            // A corrupt packet fails alone; the decoder recovers at the next key frame.
            avcodec_send_packet(decoder, packet);
          }
        } finally {
          av_packet_unref(packet);
        }
        continue;
      }
      if (status < 0) {
        break; // end of stream, or the decoder gave up on the rest
      }
      checkPixels(current.width(), current.height());
      long timestamp = current.best_effort_timestamp();
      double time = timestamp == AV_NOPTS_VALUE
          ? (Double.isNaN(previousTime) ? 0 : previousTime + frameInterval)
          : timestamp * q(header.timeBase()) - header.startSeconds();
      if (Double.isNaN(firstTime)) {
        // Sampling times count from the first frame shown, whatever the container's start offset.
        firstTime = time;
      }
      time -= firstTime;
      if (time > limits.maxDurationSeconds() + frameInterval) {
        throw tooLong(time);
      }
      if (!Double.isNaN(previousTime) && time <= previousTime) {
        av_frame_unref(current); // out of order or repeated timestamp: keep the earlier frame
        continue;
      }
      while (next < targets.length && targets[next] <= time) {
        boolean takePrevious = !Double.isNaN(previousTime)
            && targets[next] - previousTime <= time - targets[next];
        if (takePrevious) {
          if (previousImage == null) {
            previousImage = toImage(previous, header, targetLongSide);
          }
          frames.add(previousImage);
          seconds.add(previousTime);
        } else {
          frames.add(toImage(current, header, targetLongSide));
          seconds.add(time);
        }
        next++;
      }
      av_frame_unref(previous);
      av_frame_move_ref(previous, current);
      previousTime = time;
      previousImage = null;
    }
    if (next < targets.length && !Double.isNaN(previousTime)) {
      DecodedImage last = null;
      while (next < targets.length && targets[next] < previousTime + frameInterval) {
        if (last == null) {
          last = toImage(previous, header, targetLongSide);
        }
        frames.add(last);
        seconds.add(previousTime);
        next++;
      }
    }
    return new Sampled(frames, seconds, Double.isNaN(previousTime) ? 0 : previousTime + frameInterval);
  }

  /** Frames, their times, and where the last decoded frame ends. */
  record Sampled(List<DecodedImage> frames, List<Double> seconds, double decodedSeconds) {}

  private DecodedImage toImage(AVFrame frame, Header header, int targetLongSide) {
    int w = frame.width();
    int h = frame.height();
    int longSide = Math.max(w, h);
    int outW = w;
    int outH = h;
    if (longSide > targetLongSide) {
      double scale = (double) targetLongSide / longSide;
      outW = w >= h ? targetLongSide : Math.max(1, (int) Math.round(w * scale));
      outH = w >= h ? Math.max(1, (int) Math.round(h * scale)) : targetLongSide;
    }
    scaler = sws_getCachedContext(scaler, w, h, frame.format(), outW, outH, AV_PIX_FMT_BGR24,
        SWS_AREA, (SwsFilter) null, (SwsFilter) null, (DoublePointer) null);
    byte[] bgr = new byte[outW * outH * 3];
    try (BytePointer out = new BytePointer((long) bgr.length);
        PointerPointer<BytePointer> planes = new PointerPointer<>(4);
        IntPointer strides = new IntPointer(4)) {
      planes.put(0, out);
      strides.put(0, outW * 3);
      sws_scale(scaler, frame.data(), frame.linesize(), 0, h, planes, strides);
      out.get(bgr);
    }
    return new DecodedImage(ImageFormat.PNG, w, h, outW, outH, bgr);
  }

  private double duration(AVRational timeBase) {
    if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
      return stream.duration() * q(timeBase);
    }
    if (format.duration() != AV_NOPTS_VALUE && format.duration() > 0) {
      return (double) format.duration() / AV_TIME_BASE;
    }
    return Double.NaN;
  }

  private double frameRate() {
    double rate = q(stream.avg_frame_rate());
    if (!(rate > 0) || Double.isInfinite(rate)) {
      rate = q(stream.r_frame_rate());
    }
    return rate > 0 && rate < 1000 ? rate : 0;
  }

  private void checkPixels(int width, int height) throws VideoRejected {
    long pixels = (long) width * height;
    if (pixels > limits.maxFramePixels()) {
      throw new VideoRejected(Reason.TOO_MANY_PIXELS, "video frames are " + width + "x" + height
          + " (" + pixels + " pixels); at most " + limits.maxFramePixels() + " pixels are allowed");
    }
  }

  void checkDeadline() throws VideoRejected {
    if (clock.getAsLong() - deadlineNanos > 0) {
      throw new VideoRejected(Reason.TIMED_OUT, "video took longer than "
          + limits.maxDecodeMillis() + " ms to decode");
    }
  }

  VideoRejected tooLong(double seconds) {
    return new VideoRejected(Reason.TOO_LONG, "video is " + seconds(seconds)
        + " seconds long; at most " + VideoLimits.plain(limits.maxDurationSeconds())
        + " seconds are allowed");
  }

  static String seconds(double seconds) {
    return String.format(java.util.Locale.ROOT, "%.1f", seconds);
  }

  private static VideoRejected malformed(VideoContainer container, String what) {
    return new VideoRejected(Reason.MALFORMED, "malformed "
        + container.name().toLowerCase(java.util.Locale.ROOT) + " video: " + what);
  }

  private static double q(AVRational r) {
    return r.den() == 0 ? 0 : (double) r.num() / r.den();
  }

  @Override
  public void close() {
    if (scaler != null) {
      sws_freeContext(scaler);
    }
    if (current != null) {
      av_frame_free(current);
    }
    if (previous != null) {
      av_frame_free(previous);
    }
    if (packet != null) {
      av_packet_free(packet);
    }
    if (decoder != null) {
      avcodec_free_context(decoder);
    }
    if (opened) {
      avformat_close_input(format);
    }
  }
}
