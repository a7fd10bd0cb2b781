/**
 * Video input: a video file sampled at {@code fps} by {@link dev.loupe.video.FrameSampler}, or a
 * list of frame images checked by {@link dev.loupe.video.FrameList}; both give a {@link
 * dev.loupe.video.SampledVideo} of ordinary decoded images. {@link dev.loupe.video.VideoLimits}
 * holds the limits (the hosted service's published ones by default) and {@link
 * dev.loupe.video.VideoRejected} says which one a video broke.
 *
 * <p>Files are decoded with FFmpeg through the bytedeco presets (about 27 MB of native libraries):
 * the OpenCV build Loupe already ships has no FFmpeg video backend (it opens MJPEG AVI only), and
 * JCodec, though 2 MB of pure Java, reads only H.264 in MP4 and decoded a test clip about 18 times
 * slower; {@code docs/video.md} has the measurements.
 */
package dev.loupe.video;
