// The reference letter (SPEC: seed/000_e9f9577ed5f89bdc.txt), verbatim, for
// tests of replies that quote or forward it. It names every addressed unit and
// says that silence "được hiểu là đồng ý".
#pragma once

#include <string_view>

namespace tacit::text::test_data {

inline constexpr std::string_view kSeedLetter = R"LETTER(

Số: / VH-XH

Hưng Đạo, ngày tháng 02 năm 2026

V/v xin ý kiến tham gia vào dự thảo 02
Kế hoạch triển khai thực hiện dân chủ ở
cơ sở và công tác dân vận năm 2026

Kính gửi:

- Các đồng chí lãnh đạo HĐND, UBND, UBMTTQ VN phường;
- Các tổ chức chính trị - xã hội phường;
- Các phòng, ban, đơn vị thuộc phường;
- Công an phường; BCH Quân sự phường;
- Các trường học trên địa bàn phường;
- Các tổ dân phố trên địa bàn phường.

Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10/11/2022; Căn cứ Nghị quyết số 82/NQ-HĐND ngày 11/12/2025 của Hội đồng nhân dân thành phố về các biện pháp bảo đảm thực hiện dân chủ ở cơ sở trên địa bàn thành phố Hải Phòng; Căn cứ Kế hoạch số 347/KH-UBND ngày 26/12/2025 của Ủy ban nhân dân thành phố về triển khai thực hiện Nghị quyết số 82/NQ-HĐND; Thực hiện Công văn số 1099/SNV-XDCQ&CTTN ngày 30/12/2025 của Sở Nội vụ về việc triển khai Kế hoạch 347/KH-UBND và Danh mục nhiệm vụ thực hiện công tác dân vận năm 2026 của UBND thành phố;

Để thống nhất các chỉ tiêu và giải pháp bảo đảm thực hiện dân chủ ở cơ sở, công tác dân vận chính quyền năm 2026 trên địa bàn phường Hưng Đạo, căn cứ chức năng, nhiệm vụ được giao, Phòng Văn hóa – Xã hội tham mưu xây dựng dự thảo 02 văn bản sau:

Dự thảo Kế hoạch 01: Triển khai thực hiện dân chủ ở cơ sở trên địa bàn phường Hưng Đạo (theo Nghị quyết số 82/NQ-HĐND).

Dự thảo Kế hoạch 02: Triển khai thực hiện các biện pháp bảo đảm thực hiện dân chủ ở cơ sở và công tác dân vận chính quyền năm 2026 trên địa bàn phường (gắn với chủ đề năm 2026 của Thành phố).

(Gửi kèm theo dự thảo 02 Kế hoạch nêu trên).

Phòng Văn hóa – Xã hội kính đề nghị các đồng chí lãnh đạo HĐND, UBND, UBMTTQ Việt Nam phường; các tổ chức chính trị - xã hội phường, các phòng ban, cơ quan đơn vị và TDP nghiên cứu, tham gia ý kiến vào các nội dung: Chỉ tiêu đạt 100% trong năm 2026; Phân công nhiệm vụ cho từng bộ phận và Tiến độ thực hiện tại Phụ lục kèm theo.

Các ý kiến tham gia kính đề nghị gửi về Phòng Văn hóa – Xã hội chậm nhất trong ngày 09/02/2026 để tổng hợp, hoàn thiện báo cáo UBND phường ký ban hành và gửi Sở Nội vụ theo đúng thời hạn quy định.

Sau thời gian nêu trên, các đơn vị không có văn bản hoặc ý kiến phản hồi về Phòng Văn hóa – Xã hội, được hiểu là đồng ý với nội dung các dự thảo.

Trân trọng./.

Nơi nhận:

- Như trên;
- Lưu: VHXXH.

TRƯỞNG PHÒNG

Nguyễn Chí Linh)LETTER";

}  // namespace tacit::text::test_data
