# 忻州市市长质量奖评审管理系统 · 提示信息（简体中文）
#
# 每条信息一个键，参数写作 { $名称 }；日期参数已按“2026年12月1日”写好。
# 修改措辞无需改代码；新增或删除信息须与代码一致（qaward-app 的目录测试会检查）。

## 拒绝与引用条款

refusal = 依据《管理办法》第{ $article }条（{ $rule }）：{ $message }
in-batch = { $name }：{ $message }

## 登录、账号与权限

log-in-first = 请先登录。
bad-credentials = 用户名或密码不正确。
denied-not-logged-in = 请先登录。
denied-no-role = 您的角色无权进行此项操作。
denied-out-of-scope = 此事项不在您的职责范围内。
denied-recused = 您已声明与该申报主体存在利益关系并回避，不能查看或办理其事项。
denied-own-account = 不能修改自己的角色或账号，请由另一位系统管理员办理。
too-many-attempts = 尝试次数过多，请约 { $minutes } 分钟后再试。
username-required = 请输入用户名。
username-too-long = 用户名最多 { $max } 个字符。
username-form = 用户名须为 2 至 40 个小写字母、数字或“.”“_”“-”。
username-taken = 用户名“{ $username }”已被使用，请换一个。
password-too-short = 密码至少 { $min } 个字符。
token-unknown = 该 API 令牌不存在或已被撤销。
token-name-required = 请写明令牌的用途。
token-days-range = 令牌有效期为 1 至 3650 天。
tokens-for-service-accounts = API 令牌只签发给服务账号，请先为使用它的程序建立服务账号。
token-already-revoked = 该令牌已经撤销。
service-account-no-password = 服务账号只能使用 API 令牌，不设密码。
account-active-already = 该账号已处于启用状态。
account-inactive-already = 该账号已处于停用状态。
account-needs-a-role = 请至少授予一个角色。
applicant-roles-by-registration = 申报主体的角色由其自行注册取得，不由管理员授予。
grants-for-staff = 只能为工作人员账号授予角色。
grant-invalid = 角色与范围不匹配，请从列表中选择。
grant-held-already = 该账号已拥有此角色（{ $role }）。
scope-not-in-policy = 所选范围不在本办法规定的单位之列。
registration-impossible-org = 无法完成注册。如贵单位已经注册，请与领导小组办公室联系。
registration-impossible-person = 无法完成注册。如您已经注册，请与领导小组办公室联系。
registration-already-confirmed = { $name }的注册信息已经核验。
confirmation-document-required = 请注明所核对的营业执照或其他证明文件，最多 { $max } 个字符。
demo-needs-empty-database = 演示模式需要一个空数据库：当前数据库已有账号或评选项目，不是演示数据库。

## 表单与输入

field-required = 此项为必填项。
field-too-long = 此项最多 { $max } 个字符。
field-malformed = 填写的格式不正确，请检查后重新填写。
text-has-nul = 内容中含有无法保存的空字符（U+0000），请删除后重新提交。
text-not-utf8 = 提交的文字编码无法识别，请刷新页面后重新填写。
form-expired = 表单已过期或来自其他网站，请刷新页面后重试。
form-unreadable = 表单无法读取，请刷新页面后重新填写。
form-too-large = 提交的内容超过了上传大小上限。
form-too-many-fields = 表单字段过多，请使用页面上的表单提交。
body-unreadable = 请求内容无法读取。
json-unreadable = 请求中的 JSON 无法读取。
send-form = 请通过页面上的表单提交。
send-json = 请以 JSON 格式发送请求内容。
unknown-choice = 所选的值“{ $code }”不在可选范围内，请从列表中选择。
date-form = “{ $value }”不是有效日期，请按“2026-12-01”的格式填写。
date-in-the-future = { $date }尚未到来，请填写今天或以前的日期。
date-in-the-past = { $date }已经过去，请填写今天或以后的日期。
date-outside-calendar = { $date }不在工作日历范围内（{ $first }至{ $last }）；请先载入国务院办公厅公布的{ $year }年节假日安排。
date-in-missing-year = { $date }落在{ $year }年：工作日期限待国务院公布次年安排后确定（工作日历现只到{ $last }）；请管理员载入{ $year }年节假日安排后再办理。
calendar-next-year-missing = 工作日历只到{ $last }：国务院办公厅公布{ $year }年节假日安排后，请尽快载入；在此之前，落在{ $year }年的工作日期限无法计算。
calendar-ended = 工作日历只到{ $last }，{ $year }年的节假日安排尚未载入：工作日期限无法计算，请立即载入。
date-range-empty = 起止日期有误：{ $from }晚于{ $to }。
not-found = 没有找到您要的内容，或您无权查看。
no-such-page = 没有这个页面。
method-not-allowed = 该页面不支持这种访问方式。
internal-error = 系统内部出错，已记录在案，请稍后再试或与领导小组办公室联系。
changed-meanwhile = 该申报书刚刚被他人更新，请刷新页面后再操作。

## 上传文件

choose-a-file = 请选择要上传的文件。
filename-required = 请填写文件名称。
file-empty = 文件是空的。
file-too-large = 文件超过大小上限（{ $mib } MB）。
upload-quota = 您的账号已上传 { $used_mib } MB（上限 { $quota_mib } MB），放不下这个文件。
upload-stalled = 上传中断：长时间没有收到数据，请重新上传。
upload-interrupted = 上传被中断，请重新上传。
upload-again = 同一文件刚刚在其他账号下被拒收，请重新上传。
file-unreadable = 文件无法读取。
file-damaged = 文件已损坏，无法读取。
file-kind-not-accepted = 只接受 PDF、PNG、JPEG 图片和 Word、Excel、PowerPoint 文档。
file-has-macros = 不接受含宏或 ActiveX 控件的文档，请另存为普通的 .docx、.xlsx、.pptx 或 PDF 后上传。
file-zip-not-office = 该文件是压缩包，不是 Office 文档。只接受 PDF、PNG、JPEG 图片和 Word、Excel、PowerPoint 文档。
file-carries-program = 该文档中夹带了程序（{ $name }），不予接收。
file-ole-not-office = 该文件不是 Word、Excel 或 PowerPoint 文档（可能是安装程序），不予接收。
file-ole-damaged = 该文件已损坏，无法读取。
file-password-protected = 设有密码的文档无法检查，请去掉密码后重新上传。

## 统一社会信用代码与公民身份号码

id-length = 应为 18 位，实际为 { $got } 位。
id-character = 第 { $position } 位“{ $found }”不符合要求：此处应为{ $expected }。
id-check = 校验码为“{ $found }”，但按前 17 位计算应为“{ $expected }”，请核对。
id-birth-date = 第 7 至 14 位的出生日期“{ $date }”不是有效日期。
id-neither = 既不是有效的统一社会信用代码（{ $credit_code }），也不是有效的公民身份号码（{ $resident_id }）。
id-expect-authority = 登记管理部门代码（1–9 或代码字符集中的字母）
id-expect-org-type = 机构类别代码（1–9）
id-expect-division = 行政区划代码中的数字
id-expect-code-char = 数字或除 I、O、S、V、Z 以外的大写字母
id-expect-digit-1-9 = 1–9 的数字
id-expect-digit = 数字

## 申报条件（第十条至第十二条、第二十八条）

declaration-a10-1 = 在我市行政区域内依法设立，正常开展活动3年以上，无违法、违规、违纪行为
declaration-a10-2 = 坚持质量第一理念，质量工作成绩显著，能够科学有效地应用先进的质量管理方法和技术
declaration-a10-3 = 符合国家、省及我市有关产业导向、环境保护、节能减排、安全生产、质量管理等法律法规及政策要求
declaration-a10-4 = 近3年内无重大质量、安全、环保等事故
declaration-a11-1 = 政治坚定、品行端正，恪守职业道德和社会规范，无违法、违规、违纪行为
declaration-a11-2 = 从事质量相关工作，在质量管理理论研究或实践中形成独特的工作模式、方法、经验或成果
not-declared = 尚未声明：{ $what }。
not-a-declaration-of-this-applicant = { $rule } 不是本申报主体需要作出的声明。
subject-outside-city = 申报主体须位于本市行政区域内（{ $program }）。
organization-too-young = 成立于{ $founded }，至{ $date }正常开展活动不满{ $years }年，且没有领导小组放宽年限的批准。
approval-after-application = 领导小组的批准（{ $reference }）日期为{ $decided }，晚于申报日期{ $date }。
major-accident = 近{ $years }年内发生重大事故：{ $date }，{ $description }。
quality-work-too-short = 自{ $since }起从事质量相关工作，至{ $date }不满{ $years }年。
award-ban = 已在第{ $cycle }届（{ $year }年）获得市长质量奖，获奖后{ $ban }个评选周期内（至{ $last }年）不得重复申报，{ $again }年起方可再次申报。
revocation-ban = 第{ $cycle }届所获奖项已于{ $revoked }撤销，自{ $from }年起{ $ban }个评选周期内（至{ $last }年）不得申报，{ $again }年起方可再次申报。
registration-unconfirmed = 贵单位的注册信息尚未与营业执照核对。请联系所在县（市、区）市场监管部门（或领导小组办公室）核验。
approval-reference-required = 请写明记载该批准的领导小组会议纪要或文件。
approval-not-yet-decided = 批准须在作出后才能登记。
award-reference-required = 请写明记载该奖项的决定或文件。
award-exists = 该申报主体第{ $cycle }届的获奖情况已经登记。
revocation-after-award = 撤销日期应在获奖之后。
accident-description-required = 请说明事故经过。
accident-reference-required = 请写明记载该事故的文件。
accident-in-the-future = 事故须在发生后登记。

## 申报书与单位内部公示（第十四条）

materials-sealed = 申报书当前状态为“{ $state }”，材料已不能修改。
unknown-section = 评审标准中没有“{ $code }”这一部分。
section-too-long = “{ $code }”部分最多 { $max } 个字符。
in-unit-notice-first = 请先登记单位内部公示。
in-unit-notice-start-first = 请先登记单位内部公示的开始日期。
in-unit-notice-before-application = 单位内部公示不能早于申报书的创建日期：公示开始于{ $start }，申报书创建于{ $started }。
in-unit-objection-content-required = 请写明收到的异议内容。
in-unit-objection-settlement-required = 请写明该异议的处理情况。
in-unit-objections-unanswered = 还有 { $count } 条单位内部公示期间收到的异议未说明处理情况。
in-unit-scan-missing = 请上传单位内部公示张贴情况的扫描件或照片。
commitment-missing = 请承诺所报材料完整、真实、准确。
no-secrets-missing = 请确认所报材料不涉及国家安全和国家秘密。
window-closed = 申报已于{ $close }截止，不再接受报送。
window-not-open = 申报自{ $open }开始。
channel-not-own-county = 请报送所在县（市、区）市场监管部门（{ $own }），而不是{ $chosen }。
channel-unknown-county = “{ $id }”不是本办法规定的县（市、区）。
unknown-county = “{ $value }”不是本办法规定的县（市、区），请从列表中选择。
channel-unknown-industry = “{ $id }”不是本办法规定的市直行业主管部门。
no-channel = 该申报书尚未选择报送渠道。
application-exists-in-cycle = 该申报主体本届已有申报书。

## 审核、推荐与形式审查（第十五条、第十六条）

confirm-in-unit-notice-clear = 审核通过前，请确认单位内部公示无异议；否则请退回补正或不予通过。
pass-by-recommending = 审核通过后，请以推荐的方式报送。
recommender-county = 向县（市、区）申报的，由县（市、区）人民政府（管委会）推荐。
recommender-industry = 向市直行业主管部门申报的，由该部门推荐。
move-wrong-state = “{ $action }”只能在申报书处于{ $from }时办理；当前状态为“{ $state }”。
move-not-possible = 申报书处于“{ $state }”时，不能办理“{ $action }”。
reason-required = 请填写理由：{ $what }。
reason-what-to-correct = 需要申报主体补正的内容
reason-rejection = 不予通过的理由
reason-not-selected = 未列入候选名单的理由
reason-revocation-finding = 经查实的撤销事实
opinions-during-formal-review = 征求意见在形式审查阶段进行；申报书当前状态为“{ $state }”。
opinions-not-requested = 尚未征求任何部门的书面意见。
opinions-unanswered = 已征求 { $requested } 个部门的意见，还有 { $unanswered } 个尚未答复。
opinions-adverse = 有 { $adverse } 个部门提出了不同意见，请退回补正或不予通过。
choose-a-department = 请至少选择一个部门。
unknown-opinion-department = “{ $id }”不是本办法规定的征求意见部门。
opinion-already-asked = 已就该申报书征求过{ $dept }的意见。
opinion-already-answered = 该征求意见函已经答复，或领导小组办公室已决定不待答复继续办理。
adverse-opinion-needs-reasons = 提出不同意见的，请写明理由和依据。

## 公示与异议（第六条、第十四条、第十六条、第十八条、第十九条）

notice-too-short = { $kind }自{ $start }至{ $end }只有 { $ran } 个工作日，至少需要 { $required } 个工作日（至{ $earliest_end }）。
notice-not-published = 尚未发布该申报书的{ $kind }。
notice-still-running = { $kind }至{ $end }结束，下一步自次日起方可办理。
notice-starts-in-the-past = { $start }已经过去，公示须从今天或以后开始。
notice-contact-required = 请填写受理异议的联系方式。
acceptance-notice-first = 请先发布受理名单公示。
notice-not-in-version = 本届适用的管理办法版本不设{ $kind }，无需发布。
accept-after-acceptance-list = 请先将其列入受理名单公示，公示期满且无未处理的异议后方可受理。
objection-window-not-open = { $kind }自{ $start }起受理异议。
objection-window-closed = { $kind }的异议期已于{ $end }结束。
objections-unhandled = { $kind }期间收到的 { $open } 条异议尚未经领导小组处理。
objection-upheld = 有异议经核查成立：{ $reason }
objection-already-handled = 该异议已经处理。
objection-reason-required = 请写明异议处理的理由。
objection-content-required = 请写明异议的内容。
choose-a-notice-entry = 请选择本公示中的一项。
choose-an-application = 请至少选择一份申报书。
application-chosen-twice = 同一份申报书被重复选择。
application-of-another-cycle = { $name }的申报书不属于本届。

## 评选周期（第四条、第三十三条、第三十四条）

cycle-before-measures = 自{ $opens }开始的评选周期不能依据《{ $title }》办理：该办法自{ $effective }起施行。
cycle-after-measures = 自{ $opens }开始的评选周期不能依据《{ $title }》办理：该办法有效期至{ $last_day }。
cycle-opens-in-its-year = { $year }年的评选周期须在当年开始，不能自{ $opens }开始。
cycle-numbered-from-one = 届次从第1届开始编号。
cycle-number-follows = 第{ $previous }届之后是第{ $expected }届，不是第{ $given }届。
cycle-too-soon = 每{ $years }年评选一次：第{ $previous }届在{ $previous_year }年举办，下一届最早于{ $earliest }年开始。
cycle-dates-out-of-order = { $later }（{ $later_date }）早于{ $earlier }（{ $earlier_date }）。
cycle-exists = 第{ $cycle }届已经存在。
program-exists = 代码为“{ $code }”的评选项目已经存在。
program-unknown = 没有编号为 { $program } 的评选项目。
program-code-unknown = 没有代码为“{ $code }”的评选项目。
program-code-invalid = 评选项目代码由 2 至 32 个小写字母、数字或连字符组成，以小写字母开头。
program-prefix-taken = 已有评选项目的证书编号以“{ $code }”开头，请换一个代码。
application-opens = 申报开始日期
application-closes = 申报截止日期
channel-review-due = 审核推荐截止日期
formal-review-due = 形式审查截止日期

## 评审、名额与表彰（第四条、第十七条至第二十条）

quota-taken = 本届{ $level }名额（{ $quota }个）已满（已拟定或授予 { $taken } 个）。
score-below-threshold = 最终得分 { $score } 低于 { $threshold } 分的标准，名额宁缺毋滥。
plan-stages-unweighted = 评审方案未给以下环节设定权重：{ $stages }。
plan-weights-not-100 = 各环节权重合计为 { $sum }%，应为 100%。
plan-threshold-out-of-range = 分数标准 { $threshold } 超出 0 至 { $total } 的范围。
plan-frozen = 评分已经开始，评审方案原则上不再修改；确需修改的，须写明理由，修改将留痕并向监督组公开。
stages-incomplete = 以下评审环节尚未完成：{ $stages }。
no-final-score = 评审尚无最终得分。
joint-report-missing = 领导小组办公室与市人力资源社会保障局尚未联合报告。

## 利益关系声明（第二十九条）

interest-reason-required = 请说明存在何种利益关系（任职、亲属、经济往来或其他）。
interest-already-declared = 您已声明与该申报主体存在利益关系。

## 办法的有效期（第三十四条）

measures-expiring = 《{ $title }》有效期至{ $last }，还有 { $left } 天，请准备新版办法。
measures-expired = 《{ $title }》已于{ $last }期满（自{ $effective }起施行，有效期{ $years }年），请载入现行有效的办法。
policy-version-exists = 办法版本“{ $code }”已经载入；已载入的版本不再改动，新版本请使用新的版本标识。
policy-file-required = 请选择或粘贴新版办法的数据文件。
policy-file-invalid = 办法数据文件有误，未载入：{ $problem }
policy-value-invalid = 办法数据文件有误，未载入（位置：{ $field }）：{ $problem }
policy-empty = 不能为空。
policy-id-characters = 版本标识“{ $id }”只能由小写字母、数字和连字符组成。
policy-zero = 至少为1。
policy-too-large = { $value }过大，不合常理（最多{ $max }）。
policy-fee = 本系统只支持不收取评审费用的管理办法（2021年版第九条）。
policy-empty-id = { $list }中有一项没有标识。
policy-duplicate-id = 标识“{ $id }”出现了两次。
policy-no-county = 请至少列出一个县（市、区）。
policy-bad-division = “{ $code }”不是六位行政区划代码。
policy-no-department = 请至少列出一个部门。
policy-unknown-department = “{ $id }”不在征求意见部门名单中。
policy-renumber = 条文编号应为1至99之间的整数。
policy-validity-too-long = 有效期过长。
data-at-line = 第{ $line }行第{ $column }列
data-at-file = 文件中
data-syntax = { $at }：数据文件的格式有误（{ $detail }）
data-unknown-field = { $at }：没有名为“{ $name }”的字段，请核对拼写
data-missing-field = 缺少字段“{ $name }”（位置：{ $field }）
data-wrong-type = { $at }：字段“{ $field }”的值类型不对（{ $detail }）
data-field = 字段“{ $field }”有误（{ $detail }）
data-invalid = 字段“{ $field }”的值不可用（{ $detail }）
policy-effective-before-in-force = 新版办法的施行日期{ $effective }早于现行《{ $current }》的施行日期{ $current_effective }，请核对文件。
policy-document-required = 请填写印发新版办法的文件文号。
calendar-file-required = 请粘贴一年的节假日安排数据文件。
calendar-file-invalid = 节假日安排数据文件有误，未载入：{ $problem }
calendar-year-invalid = 节假日安排有误，未载入（位置：{ $field }）：{ $problem }
calendar-no-year = 文件中没有年份段。
calendar-not-consecutive = 年份须连续且按顺序排列，此处应为{ $expected }年。
calendar-source-missing = 请注明安排出自哪一份国务院办公厅通知。
calendar-checked-against-missing = 请注明逐日核对所依据的另一来源。
calendar-year-out-of-range = 年份超出可用范围。
calendar-bad-date = 日期无法识别：{ $why }
calendar-end-before-start = 结束日{ $to }早于开始日{ $from }。
calendar-outside-year = { $from }至{ $to }不在{ $year }年内。
calendar-name-empty = 节假日名称不能为空。
calendar-listed-twice = { $date }重复列出。
calendar-make-up-not-in-year = 调休上班日{ $date }不在{ $year }年内。
calendar-make-up-on-weekday = 调休上班日{ $date }本是工作日：只有周六、周日才需要调为上班日。
calendar-make-up-also-holiday = { $date }既列为节假日，又列为调休上班日。
calendar-make-up-for-no-holiday = 调休上班日所对应的“{ $name }”不是本年的节假日（本年节假日：{ $holidays }）。
calendar-only-rest-days = { $from }至{ $to }全是周末，又没有为它调休上班日，放假安排不会有任何变化：请核对日期。
calendar-one-year = 每次只能载入一年的安排，该文件含{ $count }年。
calendar-year-held = 工作日历已有{ $year }年的安排；如确需更正，请以“替换已有年份”的方式重新载入。
calendar-year-not-held = 工作日历中没有{ $year }年的安排，无可替换；请按新增年份载入，不选“替换已有年份”。
calendar-year-not-next = 工作日历须逐年连续：只能载入{ $before }年或{ $after }年，或替换已有年份，不能载入{ $year }年。
calendar-year-loaded-meanwhile = 刚才已有人载入了{ $year }年的安排；请刷新页面查看后再决定是否替换。
calendar-document-required = 请填写国务院办公厅通知的文号。
policy-document-in-future = 印发日期{ $date }尚未到来，请填写文件实际印发的日期。
policy-configured-differs = 配置的办法数据文件与已载入的同名版本“{ $code }”内容不同；已载入的版本不再改动，新版本请使用新的版本标识，并在“办法版本”页面或命令行载入。
policy-configured-not-loaded = 配置的办法数据文件（版本“{ $code }”）尚未载入本系统；请先在“办法版本”页面或命令行连同印发文号和日期载入。
policy-version-missing = 有届次依据的办法版本“{ $code }”不在数据库中；请先恢复该版本再启动。

## 部门意见的登记与不待答复（第十六条）

opinions-settled-during-formal-review = 部门意见在形式审查阶段办理；申报书当前状态为“{ $state }”。
opinion-already-settled = 该征求意见函已经答复或已办结。
adverse-letter-needs-reasons = 复函提出不同意见的，请照录其理由和依据。
letter-scan-required = 请上传复函的扫描件。
opinion-not-yet-overdue = 该意见的答复期限为{ $due }，期限届满后领导小组办公室方可不待答复继续办理。

## 评审（第十七条、第十三条、第二十六条、第二十九条）

draw-size-zero = 抽取人数至少为 1 人。
draw-too-few-experts = “{ $field }”领域可抽取的专家只有 { $eligible } 人，本次需抽取 { $size } 人，还差 { $missing } 人。请先补充专家库或调整评审组人数。
draw-unknown-algorithm = 抽取记录使用的算法“{ $algorithm }”本系统无法复核。
draw-not-finished = 抽取尚未完成：记录中还没有监督组提供的随机值或已公开的种子。
draw-seed-mismatch = 公开的种子与事先公布的承诺值不符，抽取结果不可信。
draw-result-differs = 按记录重新抽取的结果（{ $recomputed }）与记录的结果（{ $recorded }）不一致。
score-not-in-steps = 得分率须为 0 至 100 之间 5 的整数倍，“{ $value }”不符合要求。
plan-nomination-threshold-out-of-range = 提名奖最低分（{ $nomination }）不能高于市长质量奖最低分（{ $threshold }），也不能为负数。
plan-panel-size = 评审组人数须在 { $least } 至 25 人之间，当前为 { $size } 人。
stage-already-opened = “{ $stage }”环节已经开始，不能重复开始。
stage-previous-not-complete = “{ $previous }”环节完成后，才能开始“{ $stage }”环节。
stage-not-open = “{ $stage }”环节尚未开始，现在不能评分。
stage-closed = “{ $stage }”环节已经结束，不能再评分或修改分数。
stage-outstanding = “{ $stage }”环节还不能结束：尚有 { $sheets } 份评分表未提交，{ $consensus } 个分歧条款未形成合议分数，{ $unscheduled } 家评审对象未安排日程。
score-unknown-item = 评分标准中没有条款“{ $item }”。
score-finding-too-long = 条款“{ $item }”的评审意见最多 { $most } 个字。
sheet-incomplete = 评分表还有 { $count } 个条款未评分或未写评审意见：{ $items }。
amend-needs-reason = 修改已提交的分数须说明理由，修改前后的分数和理由将留痕并向监督组公开。
plan-already-set = 本届评审方案已经制定，请以修改方式调整。
panel-name-taken = 本届已有名为“{ $name }”的评审组。
application-on-a-panel = 申报书（编号 { $id }）已分配到一个评审组。
plan-missing = 本届尚未制定评审方案，请先制定评审方案。
plan-rubric-changed = 评审方案采用的评分标准（{ $planned }）与系统当前加载的评分标准（{ $loaded }）不一致，请核对后修改评审方案。
expert-needs-a-field = 请至少填写一个专业领域。
expert-no-such-account = 没有这个账号。请先由系统管理员为专家创建账号并授予“评审专家”角色。
expert-needs-expert-role = 该账号没有“评审专家”角色，请先由系统管理员授予。
expert-not-in-pool = 该专家不在专家库中。
exclusion-not-now = 申报书当前状态为“{ $state }”，现在不能申请专家回避。
exclusion-reason-required = 请说明申请该专家回避的理由。
decision-reason-required = 请写明决定的理由。
exclusion-already-decided = 该回避申请已经作出决定。
stage-panels-not-ready = 还有 { $count } 家评审对象所在评审组不足 { $size } 名评审专家，不能开始材料评审。
stage-changed-meanwhile = 该评审环节刚被他人变更，请刷新后再试。
stage-not-to-sign = “{ $stage }”环节尚未完成或已经签认。
observation-answered-or-unknown = 该监督意见不存在或已经答复。
panel-scoring-opened = 评分已经开始，不能再调整评审组的评审对象。
panel-only-accepted = 只有已受理的申报书才能分配到评审组（编号 { $id }）。
leader-not-a-member = 该专家不是本评审组的成员。
draw-not-awaiting-contribution = 该抽取不在等待监督组提供随机值的阶段。
draw-changed-meanwhile = 该抽取刚被他人推进，请刷新后再试。
draw-in-progress = 本评审组还有一次抽取尚未完成。
draw-panel-drawn = 本评审组已经抽取过专家；如有专家退出，请抽取替补。
draw-replaces-no-former-member = 被替补的专家须是已退出本评审组的成员。
draw-panel-empty = 请先为评审组分配评审对象：抽取时须排除与评审对象有利害关系的专家。
draw-not-awaiting-draw = 监督组提供随机值后才能抽取。
evaluation-closed = 申报书当前状态为“{ $state }”，不在评审中。
evaluation-incomplete = 无法计算最终得分：{ $problem }
sheet-already-submitted = 评分表已经提交并封存，如需修改请说明理由。
sheet-not-submitted = 评分表尚未提交，可直接修改草稿。
sheet-finding-required = 每个修改的条款都须写明评审意见。
consensus-leader-only = 只有评审组组长才能记录合议分数。
consensus-not-flagged = 条款“{ $item }”的评分分歧未超过评审方案规定的幅度，无须合议。
session-not-for-material = 材料评审不安排现场日程。
session-in-the-past = 日程日期不能早于今天。
session-team-from-panel = 参加人员须是该评审对象所在评审组的成员（已回避的除外）。
agency-no-such-account = 没有这个工作人员账号。请先由系统管理员创建第三方机构的账号。
agency-entrusted-already = 该机构已受托承担本届评审工作。
session-not-scheduled = 该评审对象尚未安排这一环节的日程，请先安排。
draw-made-already = 该次抽取已经完成。
record-file-required = 请选择要上传的照片或记录文件。
due-in-the-past = 截止日期不能早于今天。

## Commendation (A18–A21)
candidate-list-incomplete = 候选名单须对每个已完成评审的申报作出安排：{ $name } 尚未安排。
candidate-chosen-twice = { $name } 在候选名单中出现了两次。
candidate-level-above-score = { $name } 的最终得分 { $score } 未达到{ $level }的标准，不能列为该等级候选。
candidate-moved-down = { $name } 的得分达到更高等级，降低等级或不列入候选名单须写明理由。
candidate-moved-up = { $name } 排在得分更高的 { $other } 之前，须写明理由。
background-opinions-on-candidates = 只能对候选对象征求背景意见（当前状态：{ $state }）。
nothing-to-publish = 没有需要发布{ $kind }的申报。
deliberation-meeting-required = 请填写审议会议（会议纪要编号或日期）。
joint-report-nobody-proposed = 本届没有拟获奖对象，无需联合报告。
document-number-required = 请填写文号。
joint-report-not-filed = 领导小组办公室尚未报送联合报告。
joint-report-cosigned-already = 联合报告已经会签。
decision-covers-every-proposed = 表彰决定须对每一个拟获奖对象作出审定：{ $name } 尚未审定。
joint-report-exists = 本届联合报告已经报送。
decision-exists = 本届表彰决定已经记录。
award-of-a-run-cycle = 第{ $cycle }届在本系统中评选，其获奖记录由市政府表彰决定生成，不能手工录入。
choose-a-level = 请为每一行选择等级。
no-prize-for-level = { $level }只颁发奖牌和证书，没有奖金。
prize-amount-differs = 奖金应为 { $due } 元，所填金额为 { $amount } 元。
award-not-made = 此申报没有获奖（当前状态：{ $state }），无奖牌、证书或奖金可登记。
prize-paid-already = 奖金已经登记发放。
handover-recorded-already = 奖牌和证书的颁发已经登记。
voucher-required = 请填写付款凭证号。
certificate-font-missing = 本系统尚未安装证书所用的中文字体，暂时无法生成证书。请联系系统管理员安装证书字体。
decision-not-made = 市人民政府尚未作出本届表彰决定。
signed-decision-required = 请选择签发的表彰决定文件（PDF 或扫描图片）。
signed-decision-missing = 尚未上传签发的表彰决定文件。
award-confirmed-already = 这条获奖记录已经复核。
award-confirmed-by-another = 手工录入的获奖记录须由另一名工作人员复核，录入人不能复核自己录入的记录。

# Complaints and reports (A27)
complaint-wrong-status = 该投诉举报{ $status }，不能进行此项办理。
complaint-closed = 该投诉举报{ $status }，不再接收补充材料或记录。
complaint-reason-required = 请写明不予受理的理由。
complaint-findings-required = 请写明调查核实的情况和结论。
complaint-answer-required = 请写明答复投诉举报人的内容。
complaint-changed-meanwhile = 该投诉举报刚刚已由他人办理，请刷新后查看。
complaint-field-required = 此项必填。
complaint-topic-required = 请选择投诉举报的事项。
complaint-file-required = 请选择要上传的证据文件。
complaint-too-many-files = 每件投诉举报最多可补充 { $max } 个证据文件。
complaint-assignee-not-member = 承办人须为监督组成员。
complaint-assignee-required = 请选择承办人或被投诉举报的申报主体。
complaint-subject-unknown = 找不到该申报主体。
complaint-note-required = 请写明调查记录的内容。

# Revocation (A28)
revocation-field-required = 此项必填。
revocation-not-awarded = 该申报{ $state }，没有可撤销的奖项。
revocation-not-revoked = 该申报{ $state }，奖项未被撤销。
revocation-complaint-unfit = 所引投诉举报须为经监督组核查属实、针对该获奖者的投诉举报。
revocation-decided-already = 该撤销请示{ $status }，不能再作决定。
revocation-decided-meanwhile = 该撤销请示刚刚已由他人作出决定，请刷新后查看。
revocation-requested-already = 该奖项已有待市政府决定的撤销请示。
return-recorded-already = 已登记收回奖牌和证书。
recovery-amount-zero = 追回金额须大于零。
recovery-exceeds-payment = 追回金额合计不能超过已发放的奖金：已发放 { $paid } 元，已追回 { $recovered } 元，本次 { $amount } 元。
office-request-answered-already = 该协查请求已经答复，每项请求只答复一次。
obligation-award-not-standing = 该奖项已不在有效状态（{ $state }），不能再设定或办理获奖后报告事项。
obligation-request-required = 请写明要求报告的内容。
obligation-return-note-required = 退回时请写明需要修改或补充的内容。
obligation-changed-meanwhile = 该报告事项（{ $id }）刚刚被其他人处理过，请刷新后再试。
obligation-report-of-another-kind = 这不是{ $kind }。
obligation-wrong-status = 该报告事项当前为“{ $status }”，不能进行此项操作。
voucher-file-required = 请选择要上传的凭证文件。
obligation-too-many-files = 每个报告事项最多可上传 { $max } 个凭证文件。
prize-use-lines-required = 请至少填写一项奖金用途及金额。
prize-use-line-incomplete = “{ $category }”一项须同时填写金额（大于零）和具体用途。
prize-use-vouchers-required = 请列明能证明奖金使用情况的凭证（合同、发票、付款记录等）。
promotion-activities-required = 请写明开展的宣传推广活动：时间、形式和对象（涉及商业秘密的内容可以不写）。
revocation-obligation-unfit = 所引的报告事项须是该奖项已逾期未报告（或退回后未再报告）的事项，且撤销事由须为第三项“违规使用奖励标识或拒不履行获奖义务”。
