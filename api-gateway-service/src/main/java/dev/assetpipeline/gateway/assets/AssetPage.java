package dev.assetpipeline.gateway.assets;

import java.util.List;

/** @param nextCursor pass as {@code cursor} to get the next page; null on the last page */
record AssetPage(List<AssetView> items, String nextCursor) {
}
