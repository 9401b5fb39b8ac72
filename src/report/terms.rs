//! The one table of output words: every heading, label and sentence the report, the charts and
//! the workbook show, in English and in Chinese with the policy's official terms (基尼系数,
//! 城乡收入比, 低保, 特困, 财政支出, 因病致贫, 灾难性卫生支出 ...). Table columns, file names and
//! indicator names in CSV files stay English (`results::names`); only what a reader sees changes.
//!
//! Chinese usage follows the documents the rules cite: 城乡居民基本养老保险, 城镇职工基本养老保险,
//! 最低生活保障 (低保), 低保边缘, 特困人员救助供养 (特困), 长期护理保险, 医疗救助, 临时救助, 惠民保,
//! 大病保险; 亿元 for 100 million yuan; 居民人均可支配收入 for per-capita disposable income as the
//! National Bureau of Statistics writes it.

use std::fmt;
use std::str::FromStr;

/// The language of the report, the charts and the workbook (`--lang`, `lang` in a scenario's run
/// settings); English by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

/// The spellings `--lang` and `lang = ` accept, for error messages.
pub const LANG_CHOICES: &str = "`en` or `zh`";

impl Lang {
    /// The code as `--lang` and `lang = ` take it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// One entry of the table in this language.
    pub fn t(self, term: Term) -> &'static str {
        let (en, zh) = term.text();
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// A template of the table with `{0}`, `{1}` ... replaced by `args` in order, in one pass
    /// (an argument that itself holds `{1}` stays as written).
    pub fn fill(self, term: Term, args: &[&str]) -> String {
        let template = self.t(term);
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}');
            let arg = close
                .and_then(|c| after[..c].parse::<usize>().ok())
                .and_then(|i| args.get(i));
            match (arg, close) {
                (Some(a), Some(c)) => {
                    out.push_str(a);
                    rest = &after[c + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            _ => Err(format!("unknown language `{s}`: use {LANG_CHOICES}")),
        }
    }
}

/// Defines [`Term`] and its two spellings in one place.
macro_rules! terms {
    ($($(#[$doc:meta])* $name:ident => $en:literal, $zh:literal;)*) => {
        /// A word or sentence of the outputs; [`Lang::t`] spells it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Term {
            $($(#[$doc])* $name,)*
        }

        impl Term {
            /// Every term, in table order (for tests over the whole table).
            pub const ALL: &[Term] = &[$(Term::$name),*];

            /// (English, Chinese).
            pub fn text(self) -> (&'static str, &'static str) {
                match self {
                    $(Term::$name => ($en, $zh),)*
                }
            }
        }
    };
}

terms! {
    // Workbook sheets.
    /// Sheet of the summary table.
    SheetSummary => "Summary", "汇总";
    /// Sheet of the decile table.
    SheetDeciles => "Deciles", "十等分组";
    /// Sheet of fiscal cost by program and payer.
    SheetFiscal => "Fiscal cost", "财政支出";
    /// Sheet of the headline indicators by year.
    SheetIndicators => "Indicators by year", "主要指标";

    // Column heads, with units.
    /// Scenario column.
    Scenario => "Scenario", "方案";
    /// Year column.
    Year => "Year", "年份";
    /// Gini of D.
    GiniD => "Gini (D)", "基尼系数（可支配收入）";
    /// Change in the Gini of D, points.
    GiniChangePoints => "Change in Gini vs reference, points", "基尼系数较基准变化（点）";
    /// Urban-rural ratio of mean D.
    UrbanRuralRatioD => "Urban-rural ratio (D)", "城乡收入比（可支配收入）";
    /// Poverty headcount at 50% of the median.
    PovertyRate50 => "Poverty rate, 50% of median", "相对贫困发生率（中位数的50%）";
    /// Headcount below the dibao standard.
    BelowDibaoRate => "Below the dibao standard", "低于低保标准人口比例";
    /// Government cost, 亿元.
    GovernmentCostYi => "Government cost, 亿元", "财政支出（亿元）";
    /// Change in government cost, 亿元.
    GovernmentCostChangeYi => "Change in cost vs reference, 亿元", "财政支出较基准变化（亿元）";
    /// Dibao recipients.
    DibaoRecipients => "Dibao recipients, persons", "低保对象（人）";
    /// Tekun recipients.
    TekunRecipients => "Tekun recipients, persons", "特困人员（人）";
    /// Impoverishment by medical spending at 50% of the median.
    Impoverishment50 => "Impoverished by medical spending, 50% of median", "因病致贫发生率（中位数的50%）";
    /// Population represented.
    PopulationPersons => "Population, persons", "人口（人）";
    /// Decile number.
    Decile => "Decile (1 = poorest)", "十等分组（1=最低）";
    /// Mean market income.
    MarketIncome => "Market income, yuan/person/year", "市场收入（元/人·年）";
    /// Mean pensions.
    Pensions => "Pensions, yuan/person/year", "养老金（元/人·年）";
    /// Mean assistance.
    Assistance => "Assistance, yuan/person/year", "社会救助（元/人·年）";
    /// Mean transfers.
    Transfers => "Transfers, yuan/person/year", "转移收入（元/人·年）";
    /// Mean contributions.
    Contributions => "Contributions, yuan/person/year", "社会保险缴费（元/人·年）";
    /// Mean disposable income.
    DisposableIncome => "Disposable income, yuan/person/year", "可支配收入（元/人·年）";
    /// Gain in yuan.
    GainYuan => "Gain, yuan/person/year", "收入增加（元/人·年）";
    /// Gain in percent.
    GainPercent => "Gain, % of reference", "收入增幅（较基准，%）";
    /// Share of persons better off.
    BetterOff => "Better off, share of persons", "收入增加人口比例";
    /// Share of persons worse off.
    WorseOff => "Worse off, share of persons", "收入减少人口比例";
    /// Mean medical out-of-pocket.
    MedicalOutOfPocket => "Medical out-of-pocket, yuan/person/year", "医疗自付费用（元/人·年）";
    /// Program line.
    Program => "Program", "项目";
    /// Payer.
    Payer => "Payer", "支付方";
    /// Amount paid, 亿元.
    AmountYi => "Amount, 亿元", "金额（亿元）";
    /// Beneficiary persons.
    BeneficiaryPersons => "Beneficiaries, persons", "受益人数（人）";
    /// Beneficiary households.
    BeneficiaryHouseholds => "Beneficiary households", "受益户数（户）";
    /// Mean benefit per person.
    MeanBenefit => "Mean benefit, yuan/person/year", "人均待遇（元/年）";
    /// The reference scenario, in a change column.
    Reference => "reference", "基准";
    // The report (HTML fragments where the report needs markup).
    /// Heading of the report; {0} the run name.
    ReportTitle => "gongfu run: {0}", "gongfu 运行结果：{0}";
    /// The line under the heading; {0} finished, {1} started, {2} version, {3} reference.
    /// The report's "Income basis" section: heading, introduction, column heads, official row,
    /// and the Gini's bounds (docs/validation.md, "The Gini").
    BasisHeading => "Income basis", "收入口径";
    BasisIntro => "National figures of per-capita disposable income D. Census basis: persons weighted as the population (its urban share). Survey basis: urban persons reweighted to the urban share of the statistics bureau's household survey, the basis of its published national figures (0.5746 in 2022).", "全国居民人均可支配收入 D。人口口径：按人口（其城镇人口比重）加权。调查口径：城镇人口按国家统计局住户调查的城镇比重重新加权，即其公布全国数据的口径（2022 年为 0.5746）。";
    BasisMeanCensus => "Mean D, census basis", "D 均值（人口口径）";
    BasisMeanSurvey => "Mean D, survey basis", "D 均值（调查口径）";
    BasisMedianCensus => "Median D, census basis", "D 中位数（人口口径）";
    BasisMedianSurvey => "Median D, survey basis", "D 中位数（调查口径）";
    BasisGiniCensus => "Gini D, census basis", "D 基尼系数（人口口径）";
    BasisGiniSurvey => "Gini D, survey basis", "D 基尼系数（调查口径）";
    BasisOfficial => "Official, national (NBS)", "全国官方数据（国家统计局）";
    BasisBounds => "On the survey basis the bureau's published quintile groups bound the Gini: at least 0.393 (the between-group Gini of its urban and rural household quintile groups) and at most 0.414 (the largest found for a distribution with all fifteen of its urban, rural and national groups and the national baseline's household sizes; 0.430 with the national groups alone, 0.445 with groups of equal size). The official Gini (0.467) is out of reach on this basis: the bureau computes it on a basis the published groups do not show (docs/validation.md, \"The Gini\"; the bounds are those of the 2022 national baseline).", "在调查口径下，国家统计局公布的五等份分组限定了基尼系数的范围：至少 0.393（其城镇与农村住户五等份分组的组间基尼系数），至多 0.414（同时符合全部十五个城镇、农村与全国分组及全国基准户规模的分布中所找到的最大值；仅用全国分组为 0.430，各组人数相等时为 0.445）。官方基尼系数（0.467）在此口径下无法达到：统计局的计算口径无法从公布的分组中看出（见 docs/validation.md“The Gini”；上述界限为 2022 年全国基准情形）。";
    /// The report's income basis of a population read from a file ({0}: its path).
    BasisFile => "Population: <code>{0}</code>, read from a file: whether its incomes include the top incomes a household survey misses is not known to gongfu.", "人口：<code>{0}</code>，读自文件：其收入是否包含住户调查遗漏的高收入，gongfu 无从得知。";
    /// ... of a generated population without the top-incomes tail.
    BasisSurvey => "Population: <code>{0}</code>. Its incomes are on the household survey's basis: the spec adds no top-incomes tail (<code>[income] top_incomes</code>).", "人口：<code>{0}</code>。收入为住户调查口径：其规格未添加高收入尾部（<code>[income] top_incomes</code>）。";
    /// ... of a generated population with the tail ({1}: quantile, {2}: target Gini).
    BasisTopIncomes => "Population: <code>{0}</code>. It has the top incomes a household survey misses: a Pareto tail above each residence's {1} person quantile, its index solved for a Gini of {2} (<code>[income] top_incomes</code>, docs/validation.md).", "人口：<code>{0}</code>。包含住户调查遗漏的高收入：城乡各自第 {1} 人口分位以上为帕累托尾部，其指数按基尼系数 {2} 求解（<code>[income] top_incomes</code>，见 docs/validation.md）。";
    ReportMeta => "Finished {0} (started {1}), gongfu {2}. Reference scenario: <b>{3}</b>.", "完成于 {0}（开始于 {1}），gongfu {2}。基准方案：<b>{3}</b>。";
    /// The navigation links.
    ReportNav => "<a href=\"#scenarios\">Scenarios</a> · <a href=\"#summary\">Summary</a> · \
<a href=\"#basis\">Income basis</a> · <a href=\"#charts\">Charts</a> · <a href=\"#medical\">Medical hardship</a> · <a href=\"#deciles\">Deciles</a> · <a href=\"#parameters\">Parameters</a> · \
<a href=\"#manifest\">Manifest</a>", "<a href=\"#scenarios\">方案列表</a> · <a href=\"#summary\">汇总</a> · \
<a href=\"#basis\">收入口径</a> · <a href=\"#charts\">图表</a> · <a href=\"#medical\">医疗负担</a> · <a href=\"#deciles\">十等分组</a> · <a href=\"#parameters\">参数</a> · \
<a href=\"#manifest\">运行记录</a>";
    /// Heading of the charts.
    Charts => "Charts", "图表";
    /// A figure's caption; {0} title, {1} note, {2} stem.
    FigureCaption => "<b>{0}.</b> {1} PNG: charts/{2}.png.", "<b>{0}。</b>{1} PNG：charts/{2}.png。";
    /// Heading of the manifest.
    RunManifest => "Run manifest", "运行记录";
    /// The command line; {0} the command.
    Command => "Command: <code>{0}</code>", "命令：<code>{0}</code>";
    /// The manifest's summary line.
    ManifestDetails => "manifest.json (scenario files and hashes, resolved parameters, seeds, population, timings)", "manifest.json（方案文件及其哈希值、生效参数、随机种子、人口、耗时）";
    /// Heading of the scenario table.
    Scenarios => "Scenarios", "方案列表";
    /// Description column.
    Description => "Description", "说明";
    /// Status column.
    Status => "Status", "状态";
    /// After the reference scenario's name.
    ReferenceMark => " (reference)", "（基准）";
    /// A scenario that completed.
    StatusDone => "done", "完成";
    /// A scenario that failed.
    StatusFailed => "failed", "失败";
    /// A scenario that was interrupted.
    StatusInterrupted => "interrupted", "中断";
    /// A scenario that was skipped.
    StatusSkipped => "skipped", "跳过";
    /// Government cost head of the report.
    CostHeadHtml => "Government cost, <span class=\"unit\">亿元</span>", "财政支出，<span class=\"unit\">亿元</span>";
    /// Change of cost head of the report.
    CostChangeHeadHtml => "Change in cost vs reference, <span class=\"unit\">亿元</span>", "财政支出较基准变化，<span class=\"unit\">亿元</span>";
    /// Heading of the decile tables.
    DecileHeading => "Distribution by decile", "十等分组收入分布";
    /// Under the decile heading; {0} the reference.
    DecileIntro => "Deciles of per-capita disposable income under the reference scenario ({0}), fixed across scenarios. Means in yuan per person per year.", "按基准方案（{0}）下居民人均可支配收入划分十等分组，各方案分组相同。均值单位：元/人·年。";
    /// A decile table's heading; {0} scenario, {1} year.
    ScenarioYear => "{0}, {1}", "{0}，{1}年";
    /// Decile column of the report.
    DecileShort => "Decile", "分组";
    /// Market income column of the report.
    MarketShort => "Market income", "市场收入";
    /// Pensions column of the report.
    PensionsShort => "Pensions", "养老金";
    /// Assistance column of the report.
    AssistanceShort => "Assistance", "社会救助";
    /// Transfers column of the report.
    TransfersShort => "Transfers", "转移收入";
    /// Contributions column of the report.
    ContributionsShort => "Contributions", "社会保险缴费";
    /// Disposable income column of the report.
    DisposableShort => "Disposable income", "可支配收入";
    /// Gain in yuan, report.
    GainYuanShort => "Gain, yuan", "收入增加，元";
    /// Gain in percent, report.
    GainPercentShort => "Gain, %", "收入增幅，%";
    /// Better off, report.
    BetterOffShort => "Better off", "收入增加人口";
    /// Worse off, report.
    WorseOffShort => "Worse off", "收入减少人口";
    /// Medical out-of-pocket, report.
    MedicalShort => "Medical out-of-pocket", "医疗自付费用";
    /// Heading of the parameter table; {0} the reference.
    ParametersHeading => "Parameters that differ from the reference ({0})", "与基准方案（{0}）不同的参数";
    /// When no parameter differs.
    NoParameterDiffers => "No parameter differs from the reference scenario.", "没有参数与基准方案不同。";
    /// Parameter column.
    Parameter => "Parameter", "参数";
    /// Reference value column.
    ReferenceValue => "Reference value", "基准值";
    /// Scenario value column.
    ScenarioValue => "Scenario value", "方案值";

    // The medical hardship section.
    /// Its heading.
    MedicalHeading => "Medical hardship", "医疗负担";
    /// Its introduction.
    MedicalIntro => "Medical out-of-pocket is what remains of medical need after basic medical insurance, critical-illness insurance, huiminbao and medical assistance. D_health = D less medical out-of-pocket and the huiminbao premium; the poverty lines are D's. Shares of persons, national; admissions count one stay a person, and persons whose resident premium the government pays in full or in part are counted from last year's assistance status.", "医疗自付费用为医疗需求经基本医疗保险、大病保险、惠民保和医疗救助报销后个人负担的部分。D_health 为可支配收入减去医疗自付费用和惠民保保费；贫困线按可支配收入计算。全国人口比例；住院按每人一次计，资助参保人数为按上年救助身份由政府全额或部分资助居民医保个人缴费的人数。";
    /// Impoverishment at the dibao line.
    ImpoverishmentDibao => "Impoverished by medical spending, dibao line", "因病致贫发生率（低保标准）";
    /// Catastrophic spending over 10% of D.
    Catastrophic10 => "Catastrophic spending, over 10% of D", "灾难性卫生支出（超过可支配收入10%）";
    /// Catastrophic spending over 25% of D.
    Catastrophic25 => "Catastrophic spending, over 25% of D", "灾难性卫生支出（超过可支配收入25%）";
    /// Inpatient admissions per 100 persons.
    InpatientAdmissions => "Inpatient admissions per 100 persons", "每百人住院人次";
    /// Persons whose resident medical premium the government pays.
    MedicalPremiumPaid => "Premium paid by government (资助参保), persons", "资助参保人数（人）";
    /// Poverty on D.
    PovertyD => "Poverty, 50% of median (D)", "相对贫困发生率（可支配收入）";
    /// Poverty on D_health.
    PovertyDHealth => "Poverty, 50% of median (D_health)", "相对贫困发生率（扣除医疗支出后）";
    /// Gini of D_health.
    GiniDHealth => "Gini (D_health)", "基尼系数（扣除医疗支出后）";
    /// Its change.
    GiniDHealthChange => "Change in Gini (D_health) vs reference, points", "基尼系数（扣除医疗支出后）较基准变化（点）";
    /// The fund table's first head; {0} the year.
    ScenarioInYear => "Scenario, {0}", "方案，{0}年";
    /// A fund's head; {0} the fund.
    FundFlows => "{0}: contributions, benefits, balance, <span class=\"unit\">亿元</span>", "{0}：缴费收入 / 待遇支出 / 结余，<span class=\"unit\">亿元</span>";

    // The batch overview (index.html).
    /// Group column.
    Group => "Group", "分组方案";
    /// Reference scenario column.
    ReferenceScenario => "Reference scenario", "基准方案";
    /// Heading of the groups' headline table.
    GroupsSideBySide => "Groups side by side: reference scenarios", "各组基准方案对比";
    /// Heading of the same-reform table.
    SameReform => "The same reform in several groups, final year, against each group's reference", "同一改革方案在各组的效果（末年，较各组基准）";
    /// Government cost per person.
    CostPerPerson => "Government cost per person, yuan/year", "人均财政支出（元/年）";

    // Charts.
    /// Gini chart title.
    GiniTitle => "Gini coefficient of disposable income", "居民人均可支配收入基尼系数";
    /// Gini chart axis.
    GiniAxis => "Gini of per-capita disposable income (0-1)", "人均可支配收入基尼系数（0-1）";
    /// Urban-rural chart title.
    UrbanRuralTitle => "Urban-rural income ratio", "城乡收入比";
    /// Urban-rural chart axis.
    UrbanRuralAxis => "Urban / rural mean per-capita disposable income", "城镇居民人均可支配收入 / 农村居民人均可支配收入";
    /// Impoverishment chart title.
    ImpoverishmentTitle => "Impoverishment by medical spending (因病致贫)", "因病致贫发生率";
    /// Impoverishment chart axis.
    ImpoverishmentAxis => "Share of persons pushed below 50% of median D by medical spending", "因医疗支出跌破可支配收入中位数50%的人口比例";
    /// Note of charts over time; {0} indicator, {1} stem.
    OverTimeNote => "National, mean over replications (indicator `{0}`). Data: charts/{1}.csv.", "全国，各次重复模拟的均值（指标 `{0}`）。数据：charts/{1}.csv。";
    /// Fiscal chart title.
    FiscalTitle => "Government cost by program (亿元 = 100 million yuan)", "分项目财政支出（亿元）";
    /// Fiscal chart note.
    FiscalNote => "Government-paid amounts, mean over replications, stacked by program; one panel per scenario on a shared scale. Data: charts/fiscal_cost.csv.", "财政负担金额，各次重复模拟的均值，按项目堆叠；每个方案一幅小图，纵轴刻度相同。数据：charts/fiscal_cost.csv。";
    /// Fiscal chart axis.
    FiscalAxis => "亿元 per year", "亿元/年";
    /// Decile chart title; {0} reference, {1} year.
    DecileGainsTitle => "Gain by decile versus {0}, {1}", "各十等分组收入变化（较{0}），{1}年";
    /// Decile chart note; {0} year.
    DecileGainsNote => "Mean gain in disposable income per person, percent of the reference mean, by decile of the reference ranking, in {0}. Data: charts/decile_gains.csv.", "{0}年按基准排序的十等分组人均可支配收入平均增幅（占基准均值的百分比）。数据：charts/decile_gains.csv。";
    /// Decile chart x axis.
    DecileAxis => "Decile of per-capita disposable income under the reference (1 = poorest)", "基准方案下人均可支配收入十等分组（1=最低）";
    /// Decile chart y axis.
    DecileGainAxis => "Gain, % of reference disposable income", "收入增幅（占基准可支配收入的%）";
    /// Lorenz chart title; {0} year.
    LorenzTitle => "Lorenz curves of disposable income, {0}", "可支配收入洛伦兹曲线，{0}年";
    /// Lorenz chart note; {0} year.
    LorenzNote => "Per-capita disposable income (D), persons ranked poorest first, in {0}. The closer a curve to the diagonal, the more equal. Data: charts/lorenz.csv.", "{0}年人均可支配收入（D），按收入由低到高排序。曲线越接近对角线，分配越平等。数据：charts/lorenz.csv。";
    /// Lorenz x axis.
    LorenzX => "Cumulative share of persons", "人口累计比例";
    /// Lorenz y axis.
    LorenzY => "Cumulative share of disposable income", "可支配收入累计比例";
    /// The diagonal's label.
    LineOfEquality => "line of equality", "绝对平等线";
    /// Cost-effectiveness title; {0} reference, {1} year.
    CostEffectivenessTitle => "Cost-effectiveness versus {0}, {1}", "成本效果（较{0}），{1}年";
    /// Cost-effectiveness note; {0} year.
    CostEffectivenessNote => "Each point is a scenario in {0}: extra government cost against the change in the Gini of disposable income (1 point = 0.01). Lower right: pays more, reduces inequality. Data: charts/cost_effectiveness.csv.", "每个点为{0}年的一个方案：新增财政支出与可支配收入基尼系数变化（1点=0.01）。右下方：支出增加、不平等下降。数据：charts/cost_effectiveness.csv。";
    /// Cost-effectiveness x axis.
    ExtraCostAxis => "Extra government cost versus the reference, 亿元 per year", "较基准新增财政支出（亿元/年）";
    /// Cost-effectiveness y axis.
    GiniChangeAxis => "Change in Gini, points", "基尼系数变化（点）";

    // Reform grids (issue 18).
    /// Frontier chart of the Gini; {0} year.
    FrontierGiniTitle => "Reform grids: change in Gini against extra cost, {0}", "改革方案网格：基尼系数变化与新增财政支出，{0}年";
    /// Frontier chart of poverty; {0} year.
    FrontierPovertyTitle => "Reform grids: change in poverty against extra cost, {0}", "改革方案网格：贫困发生率变化与新增财政支出，{0}年";
    /// Frontier note; {0} year, {1} reference, {2} chart stem.
    FrontierNote => "Each point is a scenario of a grid in {0}, labelled with its (last) grid value and joined to the next in grid order; the cross marks the reference {1}. Data: charts/{2}.csv.", "每个点为{0}年网格中的一个方案，标注其（最后一个）网格取值，按网格顺序连线；十字为基准方案{1}。数据：charts/{2}.csv。";
    /// Frontier y axis of poverty.
    PovertyChangeAxis => "Change in poverty rate (below 50% of the median), percentage points", "贫困发生率变化（低于中位数50%），百分点";
    /// Frontier legend heading.
    GridLegend => "Grid", "网格";
    /// Section heading.
    ReformGrids => "Reform grids", "改革方案网格";
    /// Section text; {0} grid, {1} reference, {2} year, {3} parameter keys.
    FrontierTableNote => "Grid <code>{0}</code> over {3}: each point against {1} in {2} (differences within each replication, mean over replications). Data: frontier.csv.", "网格<code>{0}</code>（参数：{3}）：{2}年各网格点较{1}的变化（各次重复内差值的均值）。数据：frontier.csv。";
    /// Extra cost column head.
    ExtraCostHead => "Extra government cost, 亿元", "新增财政支出（亿元）";
    /// Sheet of the reform grids' frontier.
    SheetFrontier => "Reform grid frontier", "改革网格前沿";
    /// Grid parameter column head.
    GridParameter => "Grid parameter", "网格参数";
    /// Grid value column head.
    GridValue => "Grid value", "网格取值";
    /// Poverty change column head.
    PovertyChangeHead => "Change in poverty rate, percentage points", "贫困发生率变化（百分点）";

}

/// A payer's name for readers.
pub fn payer(lang: Lang, payer: crate::rules::Payer) -> &'static str {
    use crate::rules::Payer::*;
    match (lang, payer) {
        (Lang::En, p) => p.as_str(),
        (Lang::Zh, Government) => "政府",
        (Lang::Zh, Collective) => "集体",
        (Lang::Zh, InsuranceFund) => "社会保险基金",
        (Lang::Zh, Individual) => "个人",
        (Lang::Zh, Employer) => "用人单位",
        (Lang::Zh, PrivateInsurer) => "商业保险",
    }
}

/// A program line's name for readers: its output name in English, its Chinese name in Chinese (a
/// categorical program keeps the scenario author's name).
pub fn line(lang: Lang, line: &crate::rules::FiscalLine) -> String {
    match (lang, line) {
        (Lang::Zh, crate::rules::FiscalLine::Program(p)) => p.chinese().to_owned(),
        _ => crate::results::names::line_name(line),
    }
}

/// A fund's name for readers: its output name in English, its Chinese name in Chinese.
pub fn fund(lang: Lang, name: &str) -> &str {
    match (lang, name) {
        (Lang::Zh, "employee_medical_fund") => "职工基本医疗保险基金",
        (Lang::Zh, "resident_medical_fund") => "城乡居民基本医疗保险基金",
        (Lang::Zh, "employee_fund") => "城镇职工基本养老保险基金",
        (Lang::Zh, "resident_fund") => "城乡居民基本养老保险基金",
        (Lang::Zh, "ltc_fund") => "长期护理保险基金",
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term has both spellings, the Chinese one in CJK (Hanzi or CJK punctuation), and no
    /// two terms share a spelling
    /// (a copy-paste slip would show as a duplicate).
    #[test]
    fn every_term_has_two_distinct_spellings() {
        let mut seen = std::collections::HashSet::new();
        for &t in Term::ALL {
            let (en, zh) = t.text();
            assert!(!en.is_empty() && !zh.is_empty(), "{t:?}");
            assert!(
                zh.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c)),
                "{t:?}: {zh} has no CJK character"
            );
            assert!(seen.insert(en), "English `{en}` twice");
            assert!(seen.insert(zh), "Chinese `{zh}` twice");
        }
    }

    #[test]
    fn lang_parses_its_codes_only() {
        assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("cn".parse::<Lang>().unwrap_err().contains("`en` or `zh`"));
        assert_eq!(Lang::default(), Lang::En);
    }

    /// Each place is filled once, left to right; an argument holding `{1}` is not filled again.
    #[test]
    fn fill_replaces_numbered_places() {
        assert_eq!(
            Lang::En.fill(Term::DecileGainsTitle, &["baseline", "2030"]),
            "Gain by decile versus baseline, 2030"
        );
        assert_eq!(
            Lang::Zh.fill(Term::DecileGainsTitle, &["方案{1}", "2030"]),
            "各十等分组收入变化（较方案{1}），2030年"
        );
    }

    /// Every place of a template is one that its callers fill: no `{` is left after filling
    /// with four arguments.
    #[test]
    fn templates_have_no_stray_braces() {
        for &t in Term::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let filled = lang.fill(t, &["a", "b", "c", "d"]);
                assert!(!filled.contains('{'), "{t:?} {lang}: {filled}");
            }
        }
    }
}
