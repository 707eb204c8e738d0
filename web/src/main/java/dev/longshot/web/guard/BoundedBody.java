package dev.longshot.web.guard;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body may be read only up to {@code maxBytes}: the next read past it throws {@link TooLarge}, so a
 * body sent without {@code Content-Length} (chunked) cannot grow a parser's buffers past the limit either. Not
 * thread-safe (a request body is read by one thread).
 */
final class BoundedBody extends HttpServletRequestWrapper {
  /** The body ran past the limit; the error advice answers 413. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long maxBytes) {
      super("The request body has more than " + maxBytes + " bytes, the limit for JSON requests");
    }
  }

  private final long maxBytes;
  private ServletInputStream in;

  BoundedBody(HttpServletRequest request, long maxBytes) {
    super(request);
    this.maxBytes = maxBytes;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (in == null) {
      in = new Counting(super.getInputStream(), maxBytes);
    }
    return in;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    String enc = getCharacterEncoding();
    Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
    return new BufferedReader(new InputStreamReader(getInputStream(), cs));
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    Counting(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    private int count(int n) throws TooLarge {
      if (n > 0) {
        read += n;
        if (read > maxBytes) {
          throw new TooLarge(maxBytes);
        }
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return count(in.read(b, off, len));
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
