package io.xenondb.storagenode.grpc;

import com.google.protobuf.ByteString;
import io.xenondb.proto.pageapi.GetPageRequest;
import io.xenondb.proto.pageapi.GetPageResponse;
import io.xenondb.proto.pageapi.GetPageStatusCode;
import io.xenondb.proto.pageapi.Page;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.storagenode.pages.PageReads;
import io.xenondb.storagenode.pages.RelTag;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one GetPages batch into its answer: the pages, or an in-band status naming what was wrong. */
final class GetPagesAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(GetPagesAnswers.class);

    private GetPagesAnswers() {}

    static GetPageResponse answer(PageReads reads, TenantShardId tenant, TimelineId timeline, GetPageRequest r) {
        GetPageResponse.Builder response = GetPageResponse.newBuilder().setRequestId(r.getRequestId());
        try {
            RelTag rel = PageService.relTag(r.hasRel(), r.getRel());
            List<Long> blocks = new ArrayList<>(r.getBlockNumberCount());
            for (int blkno : r.getBlockNumberList()) {
                blocks.add(Integer.toUnsignedLong(blkno));
            }
            List<byte[]> pages =
                    reads.pages(tenant, timeline, PageService.readAt(r.hasReadLsn(), r.getReadLsn()), rel, blocks);
            response.setStatusCode(GetPageStatusCode.GET_PAGE_STATUS_CODE_OK).setRel(r.getRel());
            for (int i = 0; i < pages.size(); i++) {
                response.addPage(Page.newBuilder()
                        .setBlockNumber(r.getBlockNumber(i))
                        .setImage(ByteString.copyFrom(pages.get(i))));
            }
            return response.build();
        } catch (XenonException e) {
            return response.setStatusCode(status(e)).setReason(e.getMessage()).build();
        } catch (RuntimeException e) {
            LOG.error("GetPages request {} failed", r.getRequestId().getId(), e);
            return response.setStatusCode(GetPageStatusCode.GET_PAGE_STATUS_CODE_INTERNAL_ERROR)
                    .setReason("internal error")
                    .build();
        }
    }

    /** The in-band status of a typed error, by its category. */
    static GetPageStatusCode status(XenonException e) {
        return switch (e.category()) {
            case USER_INPUT, CONFLICT, NOT_ACCEPTABLE, UNAUTHENTICATED, PERMISSION_DENIED ->
                GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST;
            case NOT_FOUND -> GetPageStatusCode.GET_PAGE_STATUS_CODE_NOT_FOUND;
            case UNAVAILABLE, CORRUPTION, INTERNAL -> GetPageStatusCode.GET_PAGE_STATUS_CODE_INTERNAL_ERROR;
        };
    }
}
