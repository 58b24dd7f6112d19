package dev.mtls.boot.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The starter's idle handler for HTTP/1.1 connections on Reactor Netty: closed once no
 * request has been in progress for the timeout, never while one is.
 */
class IdleConnectionHandlerTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private EmbeddedChannel channel;

	@BeforeEach
	void openConnection() {
		this.channel = new EmbeddedChannel();
		this.channel.freezeTime();
		this.channel.pipeline().addLast(new IdleConnectionHandler(TIMEOUT));
	}

	@AfterEach
	void release() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void connectionWhenNoRequestForTheTimeoutThenClosed() {
		elapse(TIMEOUT.minusSeconds(1));
		assertThat(this.channel.isOpen()).isTrue();

		elapse(Duration.ofSeconds(1));

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void connectionWhenIdleSinceTheLastResponseThenClosedATimeoutAfterIt() {
		elapse(Duration.ofMinutes(4));
		request();
		respond();
		elapse(Duration.ofMinutes(4));
		assertThat(this.channel.isOpen()).isTrue();

		elapse(Duration.ofMinutes(1));

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void connectionWhenRequestInProgressThenNotClosed() {
		request();

		elapse(TIMEOUT.multipliedBy(3));
		assertThat(this.channel.isOpen()).isTrue();
		respond();
		elapse(TIMEOUT);

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void connectionWhenResponseStreamedThenInProgressUntilItsLastContent() {
		request();
		this.channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

		elapse(TIMEOUT.multipliedBy(2));
		assertThat(this.channel.isOpen()).isTrue();
		this.channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
		elapse(TIMEOUT);

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void connectionWhenPipelinedRequestsThenInProgressUntilTheLastResponse() {
		request();
		request();
		respond();

		elapse(TIMEOUT.multipliedBy(2));
		assertThat(this.channel.isOpen()).isTrue();
		respond();
		elapse(TIMEOUT);

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void connectionWhenInterimResponseThenRequestStillInProgress() {
		this.channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload"));
		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));

		elapse(TIMEOUT.multipliedBy(2));

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void connectionWhenUpgradedThenNeverIdle() {
		request();
		this.channel
			.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));

		elapse(TIMEOUT.multipliedBy(3));

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void connectionWhenMoreResponsesThanRequestsThenTheNextRequestStillInProgress() {
		respond();
		request();

		elapse(TIMEOUT.multipliedBy(2));

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void connectionWhenResponseStillLeavingThenNotClosed() {
		request();
		this.channel.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
				Unpooled.wrappedBuffer(new byte[1024])));

		elapse(TIMEOUT.multipliedBy(2));
		assertThat(this.channel.isOpen()).isTrue();
		this.channel.flushOutbound();
		ReferenceCountUtil.release(this.channel.readOutbound());
		elapse(TIMEOUT);

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void connectionWhenBytesReadBetweenRequestsThenIdleTimeStartsAgain() {
		request();
		respond();
		elapse(Duration.ofMinutes(4));
		this.channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[16])));
		ReferenceCountUtil.release(this.channel.readInbound());

		elapse(Duration.ofMinutes(4));
		assertThat(this.channel.isOpen()).isTrue();
		elapse(Duration.ofMinutes(1));

		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void handlerWhenTimeoutNotPositiveThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IdleConnectionHandler(Duration.ZERO));
	}

	@Test
	void connectionWhenClosedThenNoCheckLeft() {
		this.channel.close();

		assertThat(this.channel.hasPendingTasks()).isFalse();
	}

	@Test
	void handlerWhenRemovedThenConnectionLeftOpen() {
		this.channel.pipeline().removeFirst();

		elapse(TIMEOUT.multipliedBy(2));

		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.channel.hasPendingTasks()).isFalse();
	}

	private void request() {
		this.channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/hello"));
		ReferenceCountUtil.release(this.channel.readInbound());
	}

	private void respond() {
		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
	}

	private void elapse(Duration duration) {
		this.channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
		this.channel.runScheduledPendingTasks();
	}

}
