// The console's words, Chinese first: community staff and grid workers read Chinese; the
// English table is for integrators and visitors. The choice is remembered in localStorage.
const tables = {
  'zh-CN': {
    'app.subtitle': '亮灯行动 · 值班台',
    'nav.alerts': '实时告警', 'nav.board': '住户看板', 'nav.report': '亮灯点名',
    'tools.sound': '提示音', 'tools.signOut': '退出',
    'stream.live': '实时', 'stream.connecting': '连接中…', 'stream.down': '已断开，重连中…',
    'signin.title': '登录', 'signin.help': '请粘贴管理员发给您的访问令牌（以 lo_ 开头）。',
    'signin.token': '访问令牌', 'signin.submit': '登录',
    'signin.expired': '令牌无效或已被撤销，请重新登录。',
    'me.label': '{name} · {role}{scope}',
    'role.admin': '区级管理员', 'role.operator': '社区值班', 'role.family': '家属', 'role.viewer': '只读',
    'alerts.title': '实时告警', 'alerts.count': '共 {n} 条未处理', 'alerts.empty': '当前没有未处理的告警。',
    'banner.critical': '⚠ {n} 条紧急告警待处理', 'banner.hint': '（点击查看）',
    'col.severity': '级别', 'col.household': '住户', 'col.where': '社区 / 网格', 'col.kind': '类型',
    'col.reason': '原因', 'col.level': '通知层级', 'col.state': '状态', 'col.age': '已持续',
    'col.device': '设备', 'col.lastHeard': '最后上报', 'col.now': '当前', 'col.health': '状态',
    'now.door.on': '开着', 'now.door.off': '关着', 'now.light.on': '亮', 'now.light.off': '灭',
    'action.ack': '确认', 'action.resolve': '处理完毕', 'action.open': '查看',
    'sev.critical': '紧急', 'sev.high': '高', 'sev.medium': '中', 'sev.low': '低',
    'state.open': '待处理', 'state.acknowledged': '已确认', 'state.resolved': '已处理',
    'level.family': '家属', 'level.grid': '网格员', 'level.emergency': '应急队员',
    'kind.sos': '一键呼叫', 'kind.fall': '跌倒', 'kind.inactivity': '长时间无活动', 'kind.lights-not-on': '未亮灯',
    'kind.no-morning-activity': '早晨无活动', 'kind.night-door': '夜间开门', 'kind.door-left-open': '门未关',
    'kind.device-offline': '设备离线', 'kind.low-battery': '电量低',
    'device.door': '门磁', 'device.light': '灯', 'device.motion': '人体感应', 'device.fall': '跌倒检测',
    'device.sos': '呼叫按钮', 'device.status': '心跳',
    'outcome.visited-ok': '上门查看无碍', 'outcome.false-alarm': '误报', 'outcome.medical': '就医',
    'outcome.emergency-services': '已呼叫急救', 'outcome.activity-resumed': '活动已恢复', 'outcome.other': '其他',
    'resolve.title': '处理完毕', 'resolve.outcome': '处理结果', 'resolve.note': '备注',
    'resolve.cancel': '取消', 'resolve.submit': '确认处理', 'resolve.noteRequired': '选择“其他”时请填写备注。',
    'resolve.which': '{kind} · {household}',
    'board.title': '住户看板', 'board.community': '社区', 'board.all': '全部社区', 'board.count': '{shown} / {n} 户',
    'status.all': '全部', 'status.lit': '已亮灯', 'status.unlit': '未亮灯', 'status.alert': '有告警',
    'status.away': '外出', 'status.trouble': '设备异常',
    'household.back': '← 返回看板', 'household.summary': '概况', 'household.away': '外出',
    'household.awayUntil': '至', 'household.setAway': '设为外出', 'household.clearAway': '取消外出',
    'household.devices': '设备', 'household.alerts': '未处理告警', 'household.timeline': '时间线',
    'household.noAlerts': '无未处理告警。', 'household.notAway': '在家', 'household.awayOpen': '外出（未定归期）',
    'household.awayTill': '外出至 {until}',
    'fact.community': '社区', 'fact.grid': '网格', 'fact.risk': '风险等级', 'fact.litToday': '今日亮灯',
    'fact.lastActivity': '最近活动', 'fact.openAlerts': '未处理告警', 'fact.deviceTrouble': '异常设备',
    'risk.high': '高', 'risk.medium': '中', 'risk.low': '低',
    'yes': '是', 'no': '否', 'never': '—',
    'health.ok': '正常', 'health.offline': '离线', 'health.lowBattery': '电量低',
    'range.24h': '最近 24 小时', 'range.3d': '最近 3 天', 'range.7d': '最近 7 天',
    'timeline.count': '{n} 个事件', 'timeline.alert': '告警', 'timeline.call': '呼叫 / 跌倒',
    'report.title': '亮灯点名', 'report.date': '日期', 'report.lit': '亮灯', 'report.litAt': '亮灯时间',
    'report.alert': '未亮灯告警', 'report.outcome': '处理结果', 'report.count': '已亮灯 {lit} / {n} 户',
    'report.litYes': '已亮灯', 'report.litNo': '未亮灯', 'report.pending': '尚未到点',
    'webhooks.line': 'Webhook {name}：待投递 {pending} · 已投递 {delivered} · 已放弃 {givenUp}', 'webhooks.lastError': '最近错误：',
    'age.s': '{n} 秒', 'age.m': '{n} 分钟', 'age.h': '{h} 小时 {m} 分', 'age.d': '{d} 天 {h} 小时',
    'error.network': '无法连接网关：{message}',
  },
  en: {
    'app.subtitle': 'Lights-on action · operator console',
    'nav.alerts': 'Live alerts', 'nav.board': 'Households', 'nav.report': 'Roll call',
    'tools.sound': 'Sound', 'tools.signOut': 'Sign out',
    'stream.live': 'Live', 'stream.connecting': 'Connecting…', 'stream.down': 'Disconnected, retrying…',
    'signin.title': 'Sign in', 'signin.help': 'Paste the access token your administrator gave you (it starts with lo_).',
    'signin.token': 'Access token', 'signin.submit': 'Sign in',
    'signin.expired': 'The token is unknown or revoked; sign in again.',
    'me.label': '{name} · {role}{scope}',
    'role.admin': 'District admin', 'role.operator': 'Operator', 'role.family': 'Family', 'role.viewer': 'Viewer',
    'alerts.title': 'Live alerts', 'alerts.count': '{n} active', 'alerts.empty': 'No active alerts.',
    'banner.critical': '⚠ {n} critical alert(s) waiting', 'banner.hint': '(click to see)',
    'col.severity': 'Severity', 'col.household': 'Household', 'col.where': 'Community / grid', 'col.kind': 'Kind',
    'col.reason': 'Reason', 'col.level': 'Level', 'col.state': 'State', 'col.age': 'Age',
    'col.device': 'Device', 'col.lastHeard': 'Last heard', 'col.now': 'Now', 'col.health': 'Health',
    'now.door.on': 'Open', 'now.door.off': 'Closed', 'now.light.on': 'On', 'now.light.off': 'Off',
    'action.ack': 'Acknowledge', 'action.resolve': 'Resolve', 'action.open': 'Open',
    'sev.critical': 'Critical', 'sev.high': 'High', 'sev.medium': 'Medium', 'sev.low': 'Low',
    'state.open': 'Open', 'state.acknowledged': 'Acknowledged', 'state.resolved': 'Resolved',
    'level.family': 'Family', 'level.grid': 'Grid worker', 'level.emergency': 'Emergency team',
    'kind.sos': 'SOS', 'kind.fall': 'Fall', 'kind.inactivity': 'Inactivity', 'kind.lights-not-on': 'Lights not on',
    'kind.no-morning-activity': 'No morning activity', 'kind.night-door': 'Night door', 'kind.door-left-open': 'Door left open',
    'kind.device-offline': 'Device offline', 'kind.low-battery': 'Low battery',
    'device.door': 'Door', 'device.light': 'Light', 'device.motion': 'Motion', 'device.fall': 'Fall detector',
    'device.sos': 'SOS button', 'device.status': 'Heartbeat',
    'outcome.visited-ok': 'Visited, all well', 'outcome.false-alarm': 'False alarm', 'outcome.medical': 'Medical care',
    'outcome.emergency-services': 'Emergency services called', 'outcome.activity-resumed': 'Activity resumed', 'outcome.other': 'Other',
    'resolve.title': 'Resolve alert', 'resolve.outcome': 'Outcome', 'resolve.note': 'Note',
    'resolve.cancel': 'Cancel', 'resolve.submit': 'Resolve', 'resolve.noteRequired': 'Outcome “other” needs a note.',
    'resolve.which': '{kind} · {household}',
    'board.title': 'Household board', 'board.community': 'Community', 'board.all': 'All communities', 'board.count': '{shown} / {n} households',
    'status.all': 'All', 'status.lit': 'Lit today', 'status.unlit': 'Not lit yet', 'status.alert': 'Open alert',
    'status.away': 'Away', 'status.trouble': 'Device trouble',
    'household.back': '← Back to the board', 'household.summary': 'Summary', 'household.away': 'Away',
    'household.awayUntil': 'until', 'household.setAway': 'Set away', 'household.clearAway': 'Clear away',
    'household.devices': 'Devices', 'household.alerts': 'Open alerts', 'household.timeline': 'Timeline',
    'household.noAlerts': 'No open alerts.', 'household.notAway': 'At home', 'household.awayOpen': 'Away until cleared',
    'household.awayTill': 'Away until {until}',
    'fact.community': 'Community', 'fact.grid': 'Grid', 'fact.risk': 'Risk', 'fact.litToday': 'Lit today',
    'fact.lastActivity': 'Last activity', 'fact.openAlerts': 'Open alerts', 'fact.deviceTrouble': 'Devices in trouble',
    'risk.high': 'High', 'risk.medium': 'Medium', 'risk.low': 'Low',
    'yes': 'Yes', 'no': 'No', 'never': '—',
    'health.ok': 'OK', 'health.offline': 'Offline', 'health.lowBattery': 'Low battery',
    'range.24h': 'Last 24 hours', 'range.3d': 'Last 3 days', 'range.7d': 'Last 7 days',
    'timeline.count': '{n} events', 'timeline.alert': 'Alert', 'timeline.call': 'SOS / fall',
    'report.title': 'Lights-on roll call', 'report.date': 'Date', 'report.lit': 'Lit', 'report.litAt': 'Lit at',
    'report.alert': 'Lights-not-on alert', 'report.outcome': 'Outcome', 'report.count': '{lit} of {n} lit',
    'report.litYes': 'Lit', 'report.litNo': 'Not lit', 'report.pending': 'Not due yet',
    'webhooks.line': 'Webhook {name}: {pending} pending · {delivered} delivered · {givenUp} given up', 'webhooks.lastError': 'last error:',
    'age.s': '{n} s', 'age.m': '{n} min', 'age.h': '{h} h {m} min', 'age.d': '{d} d {h} h',
    'error.network': 'Cannot reach the gateway: {message}',
  },
};

const storageKey = 'lightson.lang';
let lang = tables[localStorage.getItem(storageKey)] ? localStorage.getItem(storageKey) : 'zh-CN';
const listeners = [];

export const currentLang = () => lang;

/** The text for key in the current language, with {name} placeholders filled; the key itself when unknown. */
export function t(key, params = {}) {
  const text = tables[lang][key] ?? tables['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** Fills every [data-i18n] element of the static page and sets <html lang>. */
export function applyStatic(root = document) {
  document.documentElement.lang = lang;
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  const toggle = document.getElementById('lang');
  toggle.textContent = lang === 'zh-CN' ? 'English' : '中文';
  toggle.lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
}

export function setLang(next) {
  lang = tables[next] ? next : 'zh-CN';
  localStorage.setItem(storageKey, lang);
  applyStatic();
  for (const listener of listeners) listener();
}

/** Views re-render their dynamic parts here when the language changes. */
export const onLangChange = listener => listeners.push(listener);

/** Dates in the reader's own time zone and language. */
export function formatTime(iso) {
  if (!iso) return t('never');
  return new Date(iso).toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatAge(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('age.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('age.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 24) return t('age.h', { h, m: m % 60 });
  return t('age.d', { d: Math.floor(h / 24), h: h % 24 });
}
