package dev.cascade.protocol.h264;

import java.nio.ByteBuffer;

/**
 * The parts of a sequence parameter set (ITU-T H.264 section 7.3.2.1.1, semantics 7.4.2.1.1) that a
 * server needs: profile and level for signalling, and the displayed picture size.
 *
 * <pre>
 *  profile_idc u(8) | constraint_set0..5_flag, reserved_zero_2bits u(8) | level_idc u(8)
 *  seq_parameter_set_id ue(v)
 *  if profile_idc in {100,110,122,244,44,83,86,118,128,138,139,134,135}:
 *     chroma_format_idc ue(v) [separate_colour_plane_flag u(1) if 3]
 *     bit_depth_luma_minus8 ue(v), bit_depth_chroma_minus8 ue(v)
 *     qpprime_y_zero_transform_bypass_flag u(1), seq_scaling_matrix_present_flag u(1)
 *     [seq_scaling_list_present_flag u(1) + scaling_list() x 8, or x 12 for 4:4:4]
 *  log2_max_frame_num_minus4 ue(v), pic_order_cnt_type ue(v) [+ its fields]
 *  max_num_ref_frames ue(v), gaps_in_frame_num_value_allowed_flag u(1)
 *  pic_width_in_mbs_minus1 ue(v), pic_height_in_map_units_minus1 ue(v)
 *  frame_mbs_only_flag u(1) [mb_adaptive_frame_field_flag u(1)], direct_8x8_inference_flag u(1)
 *  frame_cropping_flag u(1) [frame_crop_left/right/top/bottom_offset ue(v)]
 *  vui_parameters_present_flag u(1) ...   (VUI is not read)
 * </pre>
 *
 * <p>There is no encoder: the record drops most fields, so an SPS is forwarded as received bytes.
 *
 * @param constraintFlags the whole second byte: constraint_set0_flag is bit 7
 * @param width           luma width after frame cropping
 * @param height          luma height after frame cropping (frames, not fields)
 */
public record Sps(int profileIdc, int constraintFlags, int levelIdc, int spsId, int width, int height,
                  int chromaFormatIdc, boolean frameMbsOnly) {

    /** Parses an SPS NAL unit including its header byte (position to limit). */
    public static Sps parse(ByteBuffer nal) {
        if (nal.remaining() < 4) {
            throw new H264ParseException("SPS truncated");
        }
        int header = nal.get(nal.position());
        if ((header & 0x80) != 0 || H264.nalType(header) != H264.NAL_SPS) {
            throw new H264ParseException("not an SPS NAL unit: header 0x" + Integer.toHexString(header & 0xFF));
        }
        BitReader r = new BitReader(H264.unescapeRbsp(nal.slice(nal.position() + 1, nal.remaining() - 1)), "SPS");
        int profileIdc = r.u(8);
        int constraintFlags = r.u(8);
        int levelIdc = r.u(8);
        int spsId = r.ue(31, "seq_parameter_set_id");
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = r.ue(3, "chroma_format_idc");
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.flag();
            }
            r.ue(6, "bit_depth_luma_minus8");
            r.ue(6, "bit_depth_chroma_minus8");
            r.flag(); // qpprime_y_zero_transform_bypass_flag
            if (r.flag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.flag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(12, "log2_max_frame_num_minus4");
        int pocType = r.ue(2, "pic_order_cnt_type");
        if (pocType == 0) {
            r.ue(12, "log2_max_pic_order_cnt_lsb_minus4");
        } else if (pocType == 1) {
            r.flag(); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue(255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames: bounded by the level, not by syntax
        r.flag(); // gaps_in_frame_num_value_allowed_flag
        // A.3.1 caps frame size far below these (MaxFS 139264 MBs at level 6.2); this only keeps
        // the arithmetic below away from overflow.
        int widthMbs = r.ue(1023, "pic_width_in_mbs_minus1") + 1;
        int heightMapUnits = r.ue(1023, "pic_height_in_map_units_minus1") + 1;
        boolean frameMbsOnly = r.flag();
        if (!frameMbsOnly) {
            r.flag(); // mb_adaptive_frame_field_flag
        }
        r.flag(); // direct_8x8_inference_flag
        int width = widthMbs * 16;
        int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        if (r.flag()) { // frame_cropping_flag
            // 7.4.2.1.1, equations 7-19 to 7-22: offsets count in chroma sample units.
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int subWidthC = chromaFormatIdc == 3 ? 1 : 2;
            int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
            int cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
            int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
            long cropX = (long) cropUnitX * ((long) r.ue() + r.ue());
            long cropY = (long) cropUnitY * ((long) r.ue() + r.ue());
            if (cropX >= width || cropY >= height) {
                throw new H264ParseException("SPS frame cropping removes the whole picture");
            }
            width -= (int) cropX;
            height -= (int) cropY;
        }
        r.flag(); // vui_parameters_present_flag: present so a truncated SPS is caught, VUI itself skipped
        return new Sps(profileIdc, constraintFlags, levelIdc, spsId, width, height, chromaFormatIdc, frameMbsOnly);
    }

    /** 7.3.2.1.1: the High-family profiles that carry chroma format, bit depth and scaling lists. */
    static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    /** 7.3.2.1.1.1 scaling_list(): only its length matters here. */
    private static void skipScalingList(BitReader r, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int delta = r.se();
            if (delta < -128 || delta > 127) {
                throw new H264ParseException("SPS delta_scale " + delta + " out of range");
            }
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }
}
