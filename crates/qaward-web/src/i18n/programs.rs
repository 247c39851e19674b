//! The words of the award programs (issue #13, item 4): the switcher in the page header,
//! the administrator's list of programs and its form, and the public pages' headings.

/// The words about programs.
pub struct PrgTr {
    /// 评选项目: what a program is called.
    pub program: &'static str,
    pub switch: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub code: &'static str,
    pub code_hint: &'static str,
    pub name: &'static str,
    pub in_force: &'static str,
    pub add: &'static str,
    pub source: &'static str,
    pub source_hint: &'static str,
    pub document_number: &'static str,
    pub document_date: &'static str,
    pub choose: &'static str,
    pub installation: &'static str,
}

pub static PRG_ZH: PrgTr = PrgTr {
    program: "评选项目",
    switch: "切换",
    title: "评选项目",
    hint: "一个系统可以同时运行多个评选项目（如市长质量奖、县长质量奖），各有自己的管理办法版本、届次、公示和工作人员。新增项目须载入该项目的管理办法文件，项目名称取自文件。",
    code: "代码",
    code_hint: "小写字母、数字或连字符，2 至 32 位，以字母开头；设定后不再更改。",
    name: "名称",
    in_force: "现行办法版本",
    add: "新增评选项目",
    source: "管理办法文件内容",
    source_hint: "粘贴该项目管理办法的策略文件全文（与“办法版本”页面载入的格式相同）。",
    document_number: "印发文件文号",
    document_date: "印发日期",
    choose: "请选择评选项目",
    installation: "全系统",
};

pub static PRG_EN: PrgTr = PrgTr {
    program: "Program",
    switch: "Switch",
    title: "Award programs",
    hint: "One installation can run several award programs (a city award, a county's award), each with its own versions of the measures, cycles, notices and staff. Adding a program loads the file of its measures; the program's name comes from the file.",
    code: "Code",
    code_hint: "Lower-case letters, digits and hyphens, 2 to 32, beginning with a letter; it does not change later.",
    name: "Name",
    in_force: "Measures in force",
    add: "Add a program",
    source: "The policy file of its measures",
    source_hint: "Paste the whole policy file of the program's measures (the format the versions page loads).",
    document_number: "Issuing document number",
    document_date: "Date issued",
    choose: "Choose a program",
    installation: "Whole installation",
};
